from odoo import models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    # stages keep their email template's id in a cache
    # (aftersales.stage._aftersales_stage_order()): a deleted template empties it

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
