from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_rma_id = fields.Many2one(
        "aftersales.rma", string="RMA", index="btree_not_null", copy=False
    )
    aftersales_shipment_ids = fields.One2many(
        "aftersales.shipment", "picking_id", string="Shipments"
    )
