from odoo import fields, models, tools
from odoo.tools import SQL

from ..const import CHANNELS, PRIORITIES, SLA_STATES

AGE_BUCKETS = [
    ("0_2", "0-2 days"),
    ("3_7", "3-7 days"),
    ("8_30", "8-30 days"),
    ("30_plus", "Over 30 days"),
]


class AftersalesTicketReport(models.Model):
    """The service KPIs per ticket, read-only, on an SQL view: grouped and
    averaged by the database (pivot, graph, dashboard), never by a loop over
    tickets. The ratios are averages of 0/1 columns that are empty where they
    do not apply (e.g. SLA attainment: empty for open and cancelled tickets), so
    that any grouping averages them right. Other addons add columns through
    _select(), _from() and _first_time_fix()."""

    _name = "aftersales.ticket.report"
    _inherit = ["aftersales.report.group.mixin"]
    _description = "After-Sales Ticket Analysis"
    _auto = False
    _rec_name = "name"
    _order = "create_date desc"

    ticket_id = fields.Many2one("aftersales.ticket", string="Ticket", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    create_date = fields.Datetime(string="Created on", readonly=True)
    close_date = fields.Datetime(string="Closed on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Engineer", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    dealer_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    distributor_id = fields.Many2one("res.partner", string="Distributor", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    ticket_type_id = fields.Many2one("aftersales.ticket.type", readonly=True)
    stage_id = fields.Many2one("aftersales.stage", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    sla_state = fields.Selection(SLA_STATES, string="SLA Status", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    is_cancelled = fields.Boolean(string="Cancelled", readonly=True)
    ticket_count = fields.Integer(string="# Tickets", readonly=True)
    open_count = fields.Integer(string="# Open (backlog)", readonly=True)
    age_days = fields.Integer(
        string="Backlog Age (days)", readonly=True, aggregator="avg"
    )
    age_bucket = fields.Selection(AGE_BUCKETS, string="Backlog Age", readonly=True)
    response_hours = fields.Float(
        string="First Response (h)", readonly=True, aggregator="avg"
    )
    response_working_hours = fields.Float(
        string="First Response (working h)", readonly=True, aggregator="avg"
    )
    resolution_hours = fields.Float(
        string="Resolution (h)", readonly=True, aggregator="avg"
    )
    resolution_working_hours = fields.Float(
        string="Resolution (working h)", readonly=True, aggregator="avg"
    )
    sla_attained = fields.Float(
        string="SLA Attainment",
        readonly=True,
        aggregator="avg",
        help="Share of the closed tickets with an SLA that met it; cancelled and "
        "open tickets are left out.",
    )
    reopened = fields.Float(
        string="Reopen Rate",
        readonly=True,
        aggregator="avg",
        help="Share of the closed tickets that were reopened at least once.",
    )
    reopen_count = fields.Integer(string="Reopenings", readonly=True)
    reassign_count = fields.Integer(string="Reassignments", readonly=True)
    first_time_fix = fields.Float(
        string="First-Time Fix Rate",
        readonly=True,
        aggregator="avg",
        help="Share of the closed, not cancelled tickets fixed the first time: "
        "never reopened (and, with the RMA addon, at most one RMA).",
    )
    rating = fields.Float(string="CSAT", readonly=True, aggregator="avg")
    nps = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        help="Of the rated tickets: share of 5 stars minus share of 1-2 stars, in "
        "points (-100 to 100).",
    )

    def _select(self):
        return SQL(
            """
            t.id AS id,
            t.id AS ticket_id,
            t.name AS name,
            t.create_date AS create_date,
            t.close_date AS close_date,
            t.company_id AS company_id,
            t.team_id AS team_id,
            t.user_id AS user_id,
            t.partner_id AS partner_id,
            t.country_id AS country_id,
            t.dealer_id AS dealer_id,
            t.distributor_id AS distributor_id,
            t.product_id AS product_id,
            t.lot_id AS lot_id,
            t.ticket_type_id AS ticket_type_id,
            t.stage_id AS stage_id,
            t.channel AS channel,
            t.priority AS priority,
            t.sla_state AS sla_state,
            COALESCE(s.is_closed, FALSE) AS is_closed,
            COALESCE(s.is_cancelled, FALSE) AS is_cancelled,
            1 AS ticket_count,
            CASE WHEN s.is_closed THEN 0 ELSE 1 END AS open_count,
            CASE WHEN NOT COALESCE(s.is_closed, FALSE)
                THEN EXTRACT(DAY FROM (now() AT TIME ZONE 'UTC') - t.create_date)
            END AS age_days,
            CASE WHEN COALESCE(s.is_closed, FALSE) THEN NULL
                WHEN (now() AT TIME ZONE 'UTC') - t.create_date < INTERVAL '3 days'
                    THEN '0_2'
                WHEN (now() AT TIME ZONE 'UTC') - t.create_date < INTERVAL '8 days'
                    THEN '3_7'
                WHEN (now() AT TIME ZONE 'UTC') - t.create_date < INTERVAL '31 days'
                    THEN '8_30'
                ELSE '30_plus'
            END AS age_bucket,
            NULLIF(t.response_hours, 0) AS response_hours,
            NULLIF(t.response_working_hours, 0) AS response_working_hours,
            NULLIF(t.resolution_hours, 0) AS resolution_hours,
            NULLIF(t.resolution_working_hours, 0) AS resolution_working_hours,
            CASE t.sla_state WHEN 'met' THEN 1.0 WHEN 'failed' THEN 0.0 END
                AS sla_attained,
            CASE WHEN s.is_closed AND NOT COALESCE(s.is_cancelled, FALSE)
                THEN CASE WHEN t.reopen_count > 0 THEN 1.0 ELSE 0.0 END
            END AS reopened,
            t.reopen_count AS reopen_count,
            t.reassign_count AS reassign_count,
            CASE WHEN s.is_closed AND NOT COALESCE(s.is_cancelled, FALSE)
                THEN CASE WHEN %(first_time_fix)s THEN 1.0 ELSE 0.0 END
            END AS first_time_fix,
            NULLIF(t.rating_last_value, 0) AS rating,
            CASE WHEN t.rating_last_value >= 5 THEN 100.0
                WHEN t.rating_last_value >= 3 THEN 0.0
                WHEN t.rating_last_value > 0 THEN -100.0
            END AS nps
            """,
            first_time_fix=self._first_time_fix(),
        )

    def _from(self):
        return SQL(
            "aftersales_ticket t LEFT JOIN aftersales_stage s ON s.id = t.stage_id"
        )

    def _first_time_fix(self):
        """The condition of a first-time fix on a closed ticket ``t``."""
        return SQL("t.reopen_count = 0")

    def _where(self):
        return SQL("t.active")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT %s FROM %s WHERE %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._where(),
            )
        )
