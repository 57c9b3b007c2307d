from odoo import fields, models


class AftersalesShipment(models.Model):
    _inherit = "aftersales.shipment"

    part_request_id = fields.Many2one(
        "aftersales.part.request",
        string="Part Request",
        index="btree_not_null",
        check_company=True,
    )
