from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_rma_line_id = fields.Many2one(
        "aftersales.rma.line",
        string="RMA Line",
        index="btree_not_null",
        help="Kept when the move is split (backorders).",
    )
