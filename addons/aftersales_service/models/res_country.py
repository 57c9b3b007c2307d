from odoo import models


class ResCountry(models.Model):
    _inherit = "res.country"

    def write(self, vals):
        # a country joining or leaving a group changes the SLA policies' cached
        # countries (aftersales.sla.policy._matching_rows())
        if "country_group_ids" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)
