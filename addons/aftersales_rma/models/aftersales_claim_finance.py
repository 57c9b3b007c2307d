from odoo import api, fields, models

from ..tools.rates import RateCache


class AftersalesClaim(models.Model):
    _inherit = "aftersales.claim"

    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_approved_company = fields.Monetary(
        string="Approved (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_amount_approved_company",
        store=True,
        help="The approved amount at Odoo's rate of the repair date.",
    )

    @api.depends("amount_approved", "currency_id", "repair_date", "company_id")
    def _compute_amount_approved_company(self):
        rates = RateCache(self.env)
        for claim in self:
            company = claim.company_id or self.env.company
            currency = claim.currency_id or company.currency_id
            day = claim.repair_date or fields.Date.context_today(claim)
            claim.amount_approved_company = rates.convert(
                claim.amount_approved, currency, company.currency_id, company, day
            )
