from odoo import fields, models


class ResCountry(models.Model):
    _inherit = "res.country"

    aftersales_mask_contact = fields.Boolean(
        string="Mask Customer Contacts on the Portal",
        default=True,
        help="An end customer of this country shows to dealer staff of other "
        "dealers and to distributor users with a masked phone and email "
        "(e.g. +49 151 ****4567), as GDPR or PIPL ask.",
    )
