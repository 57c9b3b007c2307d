from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_claim_window_days = fields.Integer(
        related="company_id.aftersales_claim_window_days", readonly=False
    )
    aftersales_claim_repeat_days = fields.Integer(
        related="company_id.aftersales_claim_repeat_days", readonly=False
    )
    aftersales_claim_manager_limit = fields.Monetary(
        related="company_id.aftersales_claim_manager_limit",
        readonly=False,
        currency_field="currency_id",
    )
    aftersales_claim_auto_amount = fields.Monetary(
        related="company_id.aftersales_claim_auto_amount",
        readonly=False,
        currency_field="currency_id",
    )
    aftersales_claim_pay_before_return = fields.Boolean(
        related="company_id.aftersales_claim_pay_before_return", readonly=False
    )
    aftersales_claim_product_id = fields.Many2one(
        related="company_id.aftersales_claim_product_id", readonly=False
    )
    aftersales_points_claim_rejected = fields.Integer(
        related="company_id.aftersales_points_claim_rejected", readonly=False
    )
    aftersales_points_claim_suspicious = fields.Integer(
        related="company_id.aftersales_points_claim_suspicious", readonly=False
    )
