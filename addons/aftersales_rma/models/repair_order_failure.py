from odoo import models


class RepairOrder(models.Model):
    """The failure codes of a repair: what the technician found and did."""

    _name = "repair.order"
    _inherit = ["repair.order", "aftersales.failure.mixin"]
