from odoo import api, models


class ResCountryGroup(models.Model):
    _inherit = "res.country.group"

    # SLA policies keep the countries of their groups in a cache
    # (aftersales.sla.policy._matching_rows()): a group's change empties it

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "country_ids" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
