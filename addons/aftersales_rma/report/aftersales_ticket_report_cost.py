from odoo import fields, models
from odoo.tools import SQL


class AftersalesTicketReport(models.Model):
    """The cost of each case in the service KPIs, in the company's currency: the
    sum of the ticket's cost lines (all payers, and the warranty's share), from
    one grouped subquery joined to the tickets. The pivot sums the cost per team,
    country, dealer or period; ``cost_average`` gives the cost per case (tickets
    without any cost count as zero)."""

    _inherit = "aftersales.ticket.report"

    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    cost_total = fields.Monetary(
        string="Cost", currency_field="currency_id", readonly=True
    )
    cost_warranty = fields.Monetary(
        string="Cost (Warranty)",
        currency_field="currency_id",
        readonly=True,
        help="The ticket's costs paid by the warranty.",
    )
    cost_average = fields.Monetary(
        string="Cost per Case",
        currency_field="currency_id",
        readonly=True,
        aggregator="avg",
        help="The average cost of the tickets grouped; a ticket without any cost "
        "counts as zero.",
    )

    def _select(self):
        return SQL(
            "%s, co.currency_id AS currency_id,"
            " COALESCE(cost.cost_total, 0.0) AS cost_total,"
            " COALESCE(cost.cost_warranty, 0.0) AS cost_warranty,"
            " COALESCE(cost.cost_total, 0.0) AS cost_average",
            super()._select(),
        )

    def _from(self):
        return SQL(
            "%s LEFT JOIN res_company co ON co.id = t.company_id"
            " LEFT JOIN (SELECT ticket_id, sum(amount_company) AS cost_total,"
            " sum(amount_company) FILTER (WHERE payer = 'warranty') AS cost_warranty"
            " FROM aftersales_cost_line WHERE ticket_id IS NOT NULL"
            " GROUP BY ticket_id) cost ON cost.ticket_id = t.id",
            super()._from(),
        )
