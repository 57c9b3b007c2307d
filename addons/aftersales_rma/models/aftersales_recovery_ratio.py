from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.recovery_ratio import pick_ratio


class AftersalesRecoveryRatio(models.Model):
    """The share of a case's warranty cost a supplier bears for the units it
    delivered: per supplier, optionally per product or product category. The
    most specific row wins (product, else the nearest category, else the
    supplier's default); a supplier without a row is asked for nothing."""

    _name = "aftersales.recovery.ratio"
    _description = "Supplier Responsibility Ratio"
    _order = "partner_id, product_id, categ_id, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, index=True, check_company=True
    )
    product_id = fields.Many2one(
        "product.product", index="btree_not_null", check_company=True
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", index="btree_not_null"
    )
    ratio = fields.Float(
        string="Ratio (%)",
        required=True,
        default=100.0,
        help="The share of the warranty cost of a case the supplier is asked to "
        "bear for a unit it delivered.",
    )
    note = fields.Char(help="The agreement this ratio comes from.")

    _sql_constraints = [
        (
            "ratio_range",
            "CHECK(ratio >= 0 AND ratio <= 100)",
            "A responsibility ratio is between 0 and 100 %.",
        ),
    ]

    @api.constrains("product_id", "categ_id")
    def _check_scope(self):
        for rule in self:
            if rule.product_id and rule.categ_id:
                raise ValidationError(
                    self.env._(
                        "A ratio applies to a product or to a product category, "
                        "not both."
                    )
                )

    @api.model
    def _ratios_for(self, pairs, company):
        """``{(supplier id, product id): ratio or None}`` for these pairs of
        (supplier, product) records: one search for all of them."""
        suppliers = self.env["res.partner"].browse({s.id for s, __ in pairs})
        rules = self.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", suppliers.commercial_partner_id.ids),
            ]
        )
        by_supplier = {}
        for rule in rules:
            by_supplier.setdefault(rule.partner_id.id, []).append(
                (rule.product_id.id, rule.categ_id.id, rule.ratio)
            )
        result = {}
        for supplier, product in pairs:
            categ_ids = (
                [
                    int(categ_id)
                    for categ_id in reversed(product.categ_id.parent_path.split("/"))
                    if categ_id
                ]
                if product.categ_id
                else []
            )
            result[supplier.id, product.id] = pick_ratio(
                by_supplier.get(supplier.commercial_partner_id.id, []),
                product.id,
                categ_ids,
            )
        return result
