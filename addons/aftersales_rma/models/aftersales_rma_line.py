from odoo import fields, models

from ..const import DISPOSITIONS, WARRANTY_DECISIONS


class AftersalesRmaLine(models.Model):
    _name = "aftersales.rma.line"
    _description = "RMA Line"
    _order = "rma_id, sequence, id"
    _check_company_auto = True

    rma_id = fields.Many2one(
        "aftersales.rma", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="rma_id.company_id", store=True, index=True)
    state = fields.Selection(related="rma_id.state", store=True)
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", index="btree_not_null", check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    uom_id = fields.Many2one(related="product_id.uom_id")
    reason = fields.Selection(
        [
            ("defective", "Defective"),
            ("damaged", "Damaged in Transit"),
            ("wrong_item", "Wrong Item"),
            ("not_as_described", "Not as Described"),
            ("doa", "Dead on Arrival"),
            ("other", "Other"),
        ],
        default="defective",
        required=True,
        index=True,
    )
    reason_note = fields.Char()
    disposition = fields.Selection(DISPOSITIONS, default="repair", required=True, index=True)
    warranty_decision = fields.Selection(WARRANTY_DECISIONS, index=True)
