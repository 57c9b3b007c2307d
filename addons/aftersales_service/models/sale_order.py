from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_dealer_id = fields.Many2one(
        "res.partner",
        string="Selling Dealer",
        index="btree_not_null",
        domain="[('aftersales_role', 'in', ('dealer', 'distributor'))]",
        help="The dealer who sold to this customer; it is written on the warranty "
        "registrations of the delivered serial numbers.",
    )

    def action_confirm(self):
        result = super().action_confirm()
        self.order_line._aftersales_apply_warranty_extensions()
        return result
