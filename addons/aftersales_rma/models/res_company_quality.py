from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_quality_window_days = fields.Integer(
        string="Failure Rate Window (days)",
        default=90,
        help="The quality alerts count the failures (new tickets about a product) "
        "of this many last days, per unit delivered in the last year.",
    )
    aftersales_quality_owner_id = fields.Many2one(
        "res.users",
        string="Quality Owner",
        help="Gets an activity for each new quality alert.",
    )
