from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_recovery_id = fields.Many2one(
        "aftersales.recovery",
        string="Supplier Recovery",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # sudo: whoever may post the credit note marks its recovery credited
        # (an accountant needs no right on the recoveries)
        posted.aftersales_recovery_id.sudo()._set_credited()
        return posted

    def action_view_aftersales_recovery(self):
        self.ensure_one()
        return self.aftersales_recovery_id._get_records_action(
            name=self.env._("Supplier Recovery")
        )
