from odoo import fields, models


class AftersalesTicket(models.Model):
    """The recall or service campaign a proactive ticket belongs to."""

    _inherit = "aftersales.ticket"

    campaign_id = fields.Many2one(
        "aftersales.campaign", index="btree_not_null", readonly=True, copy=False
    )
