from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_rma_id = fields.Many2one(
        "aftersales.rma", string="RMA", index="btree_not_null", copy=False
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # a posted credit note may close its RMA
        posted.aftersales_rma_id.sudo()._check_done()
        # sudo: whoever may post the bill that pays dealer claims marks them paid
        # (an accountant needs no right on the claims)
        claims = posted.line_ids.aftersales_claim_id.sudo()
        claims.filtered(
            lambda c: c.state in ("approved", "partly_approved")
        )._set_paid()
        return posted

    def action_view_aftersales_rma(self):
        self.ensure_one()
        return self.aftersales_rma_id._get_records_action(name=self.env._("RMA"))
