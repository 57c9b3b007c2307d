from odoo import fields, models


class AftersalesWarrantyVoid(models.TransientModel):
    _name = "aftersales.warranty.void"
    _description = "Void a Warranty"

    warranty_id = fields.Many2one("aftersales.warranty", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.warranty_id.action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
