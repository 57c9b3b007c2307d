from odoo import fields, models

from ..const import DISPOSITIONS


class AftersalesRmaReturnWizardLine(models.TransientModel):
    _name = "aftersales.rma.return.wizard.line"
    _description = "RMA from a Delivery: Line"

    wizard_id = fields.Many2one(
        "aftersales.rma.return.wizard", required=True, ondelete="cascade"
    )
    move_id = fields.Many2one("stock.move", required=True)
    product_id = fields.Many2one("product.product", required=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number")
    max_quantity = fields.Float(string="Returnable", digits="Product Unit of Measure")
    quantity = fields.Float(digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id")
    reason = fields.Selection(
        lambda s: s.env["aftersales.rma.line"]._fields["reason"].selection,
        default="defective",
        required=True,
    )
    disposition = fields.Selection(DISPOSITIONS, default="refund", required=True)
