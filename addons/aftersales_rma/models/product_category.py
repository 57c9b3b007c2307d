from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_failure_threshold = fields.Float(
        string="Failure Alert Threshold (%)",
        help="A quality alert opens when a product of this category fails more "
        "often than this, per 100 units delivered (0: the parent category's "
        "threshold, none at the top).",
    )

    def _aftersales_failure_threshold(self):
        """The category's threshold, else its nearest parent's (0: none)."""
        self.ensure_one()
        category = self
        while category:
            if category.aftersales_failure_threshold > 0:
                return category.aftersales_failure_threshold
            category = category.parent_id
        return 0.0
