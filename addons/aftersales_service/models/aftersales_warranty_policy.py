from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.matching import category_depth, country_precision, most_specific

START_BASES = [
    ("delivery", "Delivery Date"),
    ("invoice", "Invoice Date"),
    ("registration", "Registration Date"),
    ("installation", "Installation Date"),
]


class AftersalesWarrantyPolicy(models.Model):
    """A warranty rule.

    Chosen by the matching rule (README, "The matching rule";
    ``tools/matching.py``): criteria product, product category (the product's
    category or a parent) and countries (countries and country groups), compared
    in this order: a product rule beats a category rule, which beats a rule for
    every product; a deeper category beats its parent; then the countries.
    """

    _name = "aftersales.warranty.policy"
    _description = "Warranty Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", index=True, check_company=True
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", index=True
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    country_group_ids = fields.Many2many("res.country.group", string="Country Groups")
    duration_months = fields.Integer(
        string="Duration (months)", required=True, default=12
    )
    start_basis = fields.Selection(
        START_BASES,
        required=True,
        default="delivery",
        help="Date the warranty starts from. When that date is unknown the delivery "
        "date is used, then the registration date.",
    )
    parts_coverage = fields.Float(string="Parts Covered (%)", default=100.0)
    labour_coverage = fields.Float(string="Labour Covered (%)", default=100.0)
    travel_coverage = fields.Float(string="Travel Covered (%)", default=0.0)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    deductible_amount = fields.Monetary(
        string="Deductible",
        currency_field="currency_id",
        help="Paid by the customer per claim.",
    )
    registration_window_days = fields.Integer(
        string="Registration Window (days)",
        help="When set, a registration made later than this many days after delivery "
        "only gets the fallback duration.",
    )
    fallback_months = fields.Integer(
        string="Late Registration Duration (months)",
        help="Duration given to registrations made after the window.",
    )
    return_faulty_part = fields.Boolean(
        string="Faulty Part Returned",
        help="The faulty (causal) part of a dealer's warranty repair is sent back "
        "to the brand: approving the dealer's claim creates its RMA.",
    )
    transferable = fields.Boolean(
        help="The warranty can be transferred to a new owner."
    )
    conditions = fields.Html(translate=True)
    exclusions = fields.Html(translate=True)

    @api.constrains(
        "duration_months",
        "fallback_months",
        "registration_window_days",
        "parts_coverage",
        "labour_coverage",
        "travel_coverage",
        "deductible_amount",
    )
    def _check_values(self):
        for policy in self:
            if policy.duration_months <= 0:
                raise ValidationError(
                    self.env._(
                        "Warranty rule %(name)s: the duration must be at least "
                        "one month.",
                        name=policy.name,
                    )
                )
            if policy.fallback_months < 0 or policy.registration_window_days < 0:
                raise ValidationError(
                    self.env._(
                        "Warranty rule %(name)s: the registration window and the late "
                        "registration duration cannot be negative.",
                        name=policy.name,
                    )
                )
            coverages = (
                policy.parts_coverage,
                policy.labour_coverage,
                policy.travel_coverage,
            )
            if any(value < 0 or value > 100 for value in coverages):
                raise ValidationError(
                    self.env._(
                        "Warranty rule %(name)s: coverages are percentages "
                        "between 0 and 100.",
                        name=policy.name,
                    )
                )
            if policy.deductible_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Warranty rule %(name)s: the deductible cannot be negative.",
                        name=policy.name,
                    )
                )

    def _specificity(self, product, country):
        """Specificity of this rule for ``product`` sold into ``country``
        (``tools/matching.py``): ``(product rule, category depth, country
        precision)``, ``None`` when it does not apply."""
        self.ensure_one()
        if self.product_tmpl_id and self.product_tmpl_id != product.product_tmpl_id:
            return None
        depth = category_depth(
            product.categ_id.parent_path, self.categ_id.parent_path or ""
        )
        precision = country_precision(
            country.id,
            self.country_ids.ids,
            lambda: bool(self.country_group_ids),
            lambda: self.country_group_ids.country_ids.ids,
        )
        if depth is None or precision is None:
            return None
        return (1 if self.product_tmpl_id else 0), depth, precision

    @api.model
    def _find(self, company, product, country):
        """The most specific active rule for a product sold into a country."""
        return self._find_batch(company, [(product, country)])[(product, country)]

    @api.model
    def _find_batch(self, company, pairs):
        """``{(product, country): rule}`` for many pairs with one search."""
        rules = self.sudo().search([("company_id", "=", company.id)])
        return {
            (product, country): most_specific(
                (rule._specificity(product, country), rule.sequence, rule.id, rule)
                for rule in rules
            )
            or self.browse()
            for product, country in pairs
        }
