from odoo import fields, models, tools
from odoo.tools import SQL


class AftersalesRmaMttrReport(models.Model):
    """Mean time to repair of the RMAs, one row per RMA that was received and
    shipped back, on an SQL view: from the first done *Return from Customer*
    transfer to the last done *Return to Customer* transfer. The product and lot
    are the RMA's first line's; the month is the receipt's. The average of
    ``repair_hours`` (calendar hours) or of ``repair_working_hours`` (working
    hours of the ticket's team calendar, stored on the RMA when it ships back)
    over a group is its MTTR. The RMA's responsible, its ticket and the ticket's
    engineer and team are columns for the record rules: an engineer reads the
    rows of the RMAs he may read."""

    _name = "aftersales.rma.mttr.report"
    _inherit = ["aftersales.report.group.mixin"]
    _description = "RMA Mean Time to Repair"
    _auto = False
    _order = "receipt_date desc, id desc"

    rma_id = fields.Many2one("aftersales.rma", string="RMA", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", string="Ticket", readonly=True)
    ticket_user_id = fields.Many2one("res.users", string="Engineer", readonly=True)
    user_id = fields.Many2one("res.users", string="RMA Responsible", readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Team", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", readonly=True)
    date = fields.Date(string="Month of Receipt", readonly=True)
    receipt_date = fields.Datetime(string="Received On", readonly=True)
    ship_date = fields.Datetime(string="Shipped Back On", readonly=True)
    repair_hours = fields.Float(
        string="Repair Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Hours from the receipt of the returned unit to its shipping back; "
        "averaged over a group it is the mean time to repair.",
    )
    repair_working_hours = fields.Float(
        string="Repair Time (working h)",
        readonly=True,
        aggregator="avg",
        help="Working hours of the ticket's team calendar (else the company's) "
        "from the receipt of the returned unit to its shipping back; averaged "
        "over a group it is the mean time to repair in working hours.",
    )
    repair_days = fields.Float(
        string="Repair Time (days)", readonly=True, aggregator="avg"
    )
    rma_count = fields.Integer(string="# RMAs", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT r.id AS id, r.id AS rma_id, r.company_id, r.partner_id,
                   r.country_id, r.ticket_id, t.user_id AS ticket_user_id,
                   r.user_id, t.team_id, first_line.product_id,
                   first_line.lot_id,
                   date_trunc('month', legs.receipt_date)::date AS date,
                   legs.receipt_date, legs.ship_date,
                   EXTRACT(EPOCH FROM legs.ship_date - legs.receipt_date)
                       / 3600.0 AS repair_hours,
                   r.repair_working_hours,
                   EXTRACT(EPOCH FROM legs.ship_date - legs.receipt_date)
                       / 86400.0 AS repair_days,
                   1 AS rma_count
              FROM aftersales_rma r
              JOIN (
                    SELECT aftersales_rma_id,
                           min(date_done) FILTER (
                               WHERE aftersales_rma_kind = 'receipt'
                           ) AS receipt_date,
                           max(date_done) FILTER (
                               WHERE aftersales_rma_kind = 'return_customer'
                           ) AS ship_date
                      FROM stock_picking
                     WHERE aftersales_rma_id IS NOT NULL
                       AND state = 'done'
                       AND aftersales_rma_kind IN ('receipt', 'return_customer')
                  GROUP BY aftersales_rma_id
                   ) legs ON legs.aftersales_rma_id = r.id
         LEFT JOIN aftersales_ticket t ON t.id = r.ticket_id
         LEFT JOIN LATERAL (
                    SELECT l.product_id, l.lot_id
                      FROM aftersales_rma_line l
                     WHERE l.rma_id = r.id
                  ORDER BY l.sequence, l.id
                     LIMIT 1
                   ) first_line ON TRUE
             WHERE legs.receipt_date IS NOT NULL
               AND legs.ship_date IS NOT NULL
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
