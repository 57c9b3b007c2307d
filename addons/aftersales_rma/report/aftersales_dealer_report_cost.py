from odoo import fields, models
from odoo.tools import SQL


class AftersalesDealerReport(models.Model):
    """The money in the dealers' scorecards, in the company's currency: the cost
    of the dealer's cases (one row per ticket with costs, on the ticket's
    creation date as its ticket row: a cost makes no month of activity of its
    own for the dealer's grades) and the amount approved of its claims (one row
    per approved, partly approved or paid claim, on the day it was submitted).
    These rows count no ticket nor claim, so the counts and ratios of the
    scorecard stay as they are."""

    _inherit = "aftersales.dealer.report"

    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    cost_total = fields.Monetary(
        string="Cost of the Cases",
        currency_field="currency_id",
        readonly=True,
        help="The cost lines of the dealer's tickets, all payers.",
    )
    claim_amount_approved = fields.Monetary(
        string="Claims Approved",
        currency_field="currency_id",
        readonly=True,
        help="The approved amount of the dealer's approved, partly approved or paid "
        "claims, in the company's currency.",
    )

    def _columns(self):
        money = ["currency_id", "cost_total", "claim_amount_approved"]
        return super()._columns() + money

    def _parts(self):
        # the other parts give the company's currency and no money
        names = SQL(", ").join(SQL.identifier(c) for c in super()._columns())
        parts = [
            SQL(
                "SELECT p.*, co.currency_id, 0.0, 0.0 FROM (%s) AS p (%s)"
                " JOIN res_company co ON co.id = p.company_id",
                part,
                names,
            )
            for part in super()._parts()
        ]
        return parts + [
            SQL(
                """
                SELECT r.dealer_id, r.distributor_id, r.company_id,
                       r.create_date::date, 'ticket', 0, NULL::float,
                       NULL::float, NULL::float, NULL::float, NULL::float, 0,
                       NULL::float, 0, 0, 0, r.currency_id, r.cost_total, 0.0
                  FROM %s r
                 WHERE r.dealer_id IS NOT NULL AND r.cost_total != 0
                """,
                SQL.identifier(self.env["aftersales.ticket.report"]._table),
            ),
            SQL(
                """
                SELECT c.dealer_id,
                       NULLIF(split_part(d.aftersales_path, '/', 2), '')::int,
                       c.company_id, COALESCE(c.submit_date, c.create_date::date),
                       'claim', 0, NULL::float, NULL::float, NULL::float,
                       NULL::float, NULL::float, 0, NULL::float, 0, 0, 0,
                       co.currency_id, 0.0, c.amount_approved_company
                  FROM aftersales_claim c
                  JOIN res_partner d ON d.id = c.dealer_id
                  JOIN res_company co ON co.id = c.company_id
                 WHERE c.state IN ('approved', 'partly_approved', 'paid')
                """
            ),
        ]
