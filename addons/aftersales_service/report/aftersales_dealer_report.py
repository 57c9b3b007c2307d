from odoo import fields, models, tools
from odoo.tools import SQL


class AftersalesDealerReport(models.Model):
    """Dealer scorecard: one row per event of a dealer (a ticket, a warranty
    registration, and with aftersales_rma a claim), read-only on an SQL view, so
    that the pivot groups any period (dealer × month) and averages the ratios
    right (a measure is empty on the rows it does not apply to). Other addons add
    rows through _parts()."""

    _name = "aftersales.dealer.report"
    _inherit = ["aftersales.report.group.mixin"]
    _description = "After-Sales Dealer Scorecard"
    _auto = False
    _order = "date desc"

    dealer_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    distributor_id = fields.Many2one("res.partner", string="Distributor", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    kind = fields.Selection(
        [("ticket", "Ticket"), ("registration", "Registration"), ("claim", "Claim")],
        readonly=True,
    )
    ticket_count = fields.Integer(string="# Tickets", readonly=True)
    response_working_hours = fields.Float(
        string="First Response (working h)", readonly=True, aggregator="avg"
    )
    resolution_working_hours = fields.Float(
        string="Resolution (working h)", readonly=True, aggregator="avg"
    )
    sla_attained = fields.Float(
        string="SLA Attainment", readonly=True, aggregator="avg"
    )
    rating = fields.Float(string="CSAT", readonly=True, aggregator="avg")
    first_time_fix = fields.Float(
        string="First-Time Fix Rate", readonly=True, aggregator="avg"
    )
    registration_count = fields.Integer(string="# Registrations", readonly=True)
    registration_on_time = fields.Float(
        string="Registered on Time",
        readonly=True,
        aggregator="avg",
        help="Share of the registrations made within the warranty rule's window.",
    )
    claim_count = fields.Integer(string="# Claims", readonly=True)
    claim_rejected = fields.Integer(string="# Claims Rejected", readonly=True)
    claim_suspicious = fields.Integer(string="# Claims Suspicious", readonly=True)

    def _columns(self):
        """The view's columns, in order; each part gives them all."""
        return [
            "dealer_id",
            "distributor_id",
            "company_id",
            "date",
            "kind",
            "ticket_count",
            "response_working_hours",
            "resolution_working_hours",
            "sla_attained",
            "rating",
            "first_time_fix",
            "registration_count",
            "registration_on_time",
            "claim_count",
            "claim_rejected",
            "claim_suspicious",
        ]

    def _parts(self):
        """``[SQL]``: SELECTs giving _columns() (without id), UNION ALL-ed."""
        report = self.env["aftersales.ticket.report"]
        return [
            SQL(
                """
                SELECT r.dealer_id, r.distributor_id, r.company_id,
                       r.create_date::date, 'ticket', 1,
                       r.response_working_hours, r.resolution_working_hours,
                       r.sla_attained, r.rating, r.first_time_fix,
                       0, NULL::float, 0, 0, 0
                  FROM %s r WHERE r.dealer_id IS NOT NULL
                """,
                SQL.identifier(report._table),
            ),
            SQL(
                """
                SELECT w.dealer_id,
                       NULLIF(split_part(d.aftersales_path, '/', 2), '')::int,
                       w.company_id,
                       w.registration_date, 'registration', 0,
                       NULL::float, NULL::float, NULL::float, NULL::float,
                       NULL::float, 1,
                       CASE WHEN w.late_registration THEN 0.0 ELSE 1.0 END,
                       0, 0, 0
                  FROM aftersales_warranty w
                  JOIN res_partner d ON d.id = w.dealer_id
                 WHERE w.dealer_id IS NOT NULL AND w.state != 'void'
                """
            ),
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        columns = SQL(", ").join(SQL.identifier(c) for c in self._columns())
        union = SQL(" UNION ALL ").join(SQL("(%s)", part) for part in self._parts())
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT row_number() OVER () AS id, *"
                " FROM (%s) AS parts (%s))",
                SQL.identifier(self._table),
                union,
                columns,
            )
        )
