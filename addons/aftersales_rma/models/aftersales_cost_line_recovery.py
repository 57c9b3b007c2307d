from odoo import fields, models


class AftersalesCostLine(models.Model):
    _inherit = "aftersales.cost.line"

    # a cost is claimed from a supplier once (unique on the recovery line)
    recovery_line_ids = fields.One2many(
        "aftersales.recovery.line",
        "cost_line_id",
        string="Supplier Recovery",
        groups="aftersales_service.aftersales_group_manager,"
        "aftersales_rma.aftersales_group_finance",
    )
