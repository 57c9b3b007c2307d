from odoo import fields, models


class AftersalesRma(models.Model):
    """The costs of an RMA (its repairs, transfers and shipment legs), by type
    and payer."""

    _name = "aftersales.rma"
    _inherit = ["aftersales.rma", "aftersales.cost.total.mixin"]
    _cost_line_field = "rma_id"

    cost_line_ids = fields.One2many(
        "aftersales.cost.line",
        "rma_id",
        string="Cost Lines",
        groups="aftersales_service.aftersales_group_user,aftersales_rma.aftersales_group_finance",
    )
