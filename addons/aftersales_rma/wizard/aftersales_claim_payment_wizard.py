from odoo import api, fields, models


class AftersalesClaimPaymentWizard(models.TransientModel):
    """Pay the selected approved claims: a vendor bill or a customer credit
    note per dealer."""

    _name = "aftersales.claim.payment.wizard"
    _description = "Pay Dealer Claims"

    claim_ids = fields.Many2many("aftersales.claim", required=True)
    invoice_date = fields.Date(
        string="Bill Date", required=True, default=fields.Date.context_today
    )
    claim_count = fields.Integer(compute="_compute_totals")
    dealer_count = fields.Integer(compute="_compute_totals")

    @api.depends("claim_ids")
    def _compute_totals(self):
        for wizard in self:
            wizard.claim_count = len(wizard.claim_ids)
            wizard.dealer_count = len(wizard.claim_ids.dealer_id.commercial_partner_id)

    def action_confirm(self):
        self.ensure_one()
        bills = self.claim_ids.action_create_bills(self.invoice_date)
        return bills._get_records_action(name=self.env._("Claim Payments"))
