from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_grade_a_threshold = fields.Float(
        related="company_id.aftersales_grade_a_threshold", readonly=False
    )
    aftersales_grade_b_threshold = fields.Float(
        related="company_id.aftersales_grade_b_threshold", readonly=False
    )
    aftersales_dispatch_prefer_grade = fields.Boolean(
        related="company_id.aftersales_dispatch_prefer_grade", readonly=False
    )
    aftersales_points_sla_met = fields.Integer(
        related="company_id.aftersales_points_sla_met", readonly=False
    )
    aftersales_points_five_star = fields.Integer(
        related="company_id.aftersales_points_five_star", readonly=False
    )
    aftersales_points_registration = fields.Integer(
        related="company_id.aftersales_points_registration", readonly=False
    )
    aftersales_stale_days = fields.Integer(
        related="company_id.aftersales_stale_days", readonly=False
    )
    aftersales_repeat_claim_days = fields.Integer(
        related="company_id.aftersales_repeat_claim_days", readonly=False
    )
    aftersales_ack_immediate = fields.Boolean(
        related="company_id.aftersales_ack_immediate", readonly=False
    )
