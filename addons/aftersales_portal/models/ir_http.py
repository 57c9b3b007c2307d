from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # the new-ticket form's script translates its texts (_t)
        return [*super()._get_translation_frontend_modules_name(), "aftersales_portal"]
