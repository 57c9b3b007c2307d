from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_quality_window_days = fields.Integer(
        related="company_id.aftersales_quality_window_days", readonly=False
    )
    aftersales_quality_owner_id = fields.Many2one(
        related="company_id.aftersales_quality_owner_id", readonly=False
    )
