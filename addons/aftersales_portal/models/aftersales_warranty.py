from odoo import api, models


class AftersalesWarranty(models.Model):
    _inherit = "aftersales.warranty"

    @api.depends("lot_id", "product_id")
    def _compute_display_name(self):
        if self.env.su or not self.env.user.share:
            return super()._compute_display_name()
        # a portal user reads the registrations (record rules) but not the
        # serial numbers (stock.lot): the name of a registration they may read
        # is computed in sudo
        self.check_access("read")
        return super(AftersalesWarranty, self.sudo())._compute_display_name()
