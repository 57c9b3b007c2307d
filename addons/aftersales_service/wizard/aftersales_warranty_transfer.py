from odoo import fields, models


class AftersalesWarrantyTransfer(models.TransientModel):
    _name = "aftersales.warranty.transfer"
    _description = "Transfer a Warranty"

    warranty_id = fields.Many2one("aftersales.warranty", required=True)
    partner_id = fields.Many2one("res.partner", string="New Owner", required=True)
    note = fields.Char()

    def action_confirm(self):
        self.ensure_one()
        self.warranty_id.action_transfer(self.partner_id, note=self.note)
        return {"type": "ir.actions.act_window_close"}
