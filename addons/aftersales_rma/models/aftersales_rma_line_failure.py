from odoo import models


class AftersalesRmaLine(models.Model):
    """The failure codes of a returned unit (symptom, cause, remedy)."""

    _name = "aftersales.rma.line"
    _inherit = ["aftersales.rma.line", "aftersales.failure.mixin"]
