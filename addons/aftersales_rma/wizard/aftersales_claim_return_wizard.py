from odoo import fields, models


class AftersalesClaimReturnWizard(models.TransientModel):
    """Send submitted claims back to their dealer with a reason."""

    _name = "aftersales.claim.return.wizard"
    _description = "Send a Dealer Claim Back"

    claim_ids = fields.Many2many("aftersales.claim", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.claim_ids.action_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
