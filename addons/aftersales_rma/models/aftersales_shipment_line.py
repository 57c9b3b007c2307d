from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.rates import RateCache


class AftersalesShipmentLine(models.Model):
    _name = "aftersales.shipment.line"
    _description = "Shipment Customs Line"
    _order = "shipment_id, sequence, id"
    _check_company_auto = True

    shipment_id = fields.Many2one(
        "aftersales.shipment", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="shipment_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="shipment_id.currency_id", store=True, precompute=True
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", required=True
    )
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    weight = fields.Float(
        string="Unit Weight (kg)",
        digits="Stock Weight",
        compute="_compute_weight",
        store=True,
        readonly=False,
        precompute=True,
        help="Net weight of one unit, from the product's weight.",
    )
    total_weight = fields.Float(
        string="Net Weight (kg)",
        digits="Stock Weight",
        compute="_compute_total_weight",
        store=True,
        precompute=True,
    )
    price_unit = fields.Monetary(
        string="Unit Value",
        currency_field="currency_id",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        help="Value of one unit for customs, in the shipment currency. Defaults to "
        "the product's cost, or its sales price when the goods are sold.",
    )
    price_subtotal = fields.Monetary(
        string="Subtotal",
        currency_field="currency_id",
        compute="_compute_price_subtotal",
        store=True,
        precompute=True,
    )
    duty_amount = fields.Monetary(
        string="Duties",
        currency_field="currency_id",
        help="Customs duties paid on this line, in the shipment currency; "
        "recorded as a cost of the case when the leg's transfer is validated.",
    )
    tax_amount = fields.Monetary(
        string="Import Taxes",
        currency_field="currency_id",
        help="Import VAT and other taxes paid on this line at customs.",
    )
    hs_code = fields.Char(
        string="HS Code",
        compute="_compute_hs_code",
        store=True,
        readonly=False,
        precompute=True,
    )
    origin_country_id = fields.Many2one(
        "res.country",
        string="Country of Origin",
        compute="_compute_origin_country_id",
        store=True,
        readonly=False,
        precompute=True,
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "The quantity of a customs line must be positive.",
        ),
        (
            "weight_positive",
            "CHECK(weight IS NULL OR weight >= 0)",
            "The weight of a customs line cannot be negative.",
        ),
        (
            "price_unit_positive",
            "CHECK(price_unit IS NULL OR price_unit >= 0)",
            "The value of a customs line cannot be negative.",
        ),
    ]

    @api.depends("product_id")
    def _compute_name(self):
        # in the customer's language, as on the documents; one read of the
        # product names per language
        by_lang = defaultdict(lambda: self.browse())
        for line in self:
            by_lang[line.shipment_id.partner_id.lang or self.env.lang] |= line
        for lang, lines in by_lang.items():
            for line in lines.with_context(lang=lang):
                line.name = line.product_id.display_name or line.name

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            line.uom_id = line.product_id.uom_id

    @api.depends("product_id", "uom_id")
    def _compute_weight(self):
        for line in self:
            product = line.product_id
            if not product:
                line.weight = 0.0
                continue
            # product.weight is per unit of the product's own unit of measure
            uom = line.uom_id or product.uom_id
            line.weight = product.weight * uom._compute_quantity(
                1.0, product.uom_id, round=False
            )

    @api.depends("quantity", "weight")
    def _compute_total_weight(self):
        for line in self:
            line.total_weight = line.quantity * line.weight

    @api.depends("product_id", "uom_id", "shipment_id.currency_id")
    def _compute_price_unit(self):
        # one conversion rate per (company, currency): not one per line
        rates = RateCache(self.env)
        today = fields.Date.context_today(self)
        for line in self:
            product = line.product_id
            currency = line.currency_id or line.shipment_id.currency_id
            if not product or not currency:
                line.price_unit = 0.0
                continue
            company = line.company_id or line.shipment_id.company_id or self.env.company
            product = product.with_company(company)
            if line.shipment_id.export_reason == "sale":
                value = product.lst_price
            else:
                value = product.standard_price
            uom = line.uom_id or product.uom_id
            value *= uom._compute_quantity(1.0, product.uom_id, round=False)
            line.price_unit = rates.convert(
                value, company.currency_id, currency, company, today
            )

    @api.depends("quantity", "price_unit", "currency_id")
    def _compute_price_subtotal(self):
        for line in self:
            subtotal = line.quantity * line.price_unit
            line.price_subtotal = (
                line.currency_id.round(subtotal) if line.currency_id else subtotal
            )

    @api.depends("product_id")
    def _compute_hs_code(self):
        for line in self:
            line.hs_code = line.product_id.hs_code

    @api.depends("product_id")
    def _compute_origin_country_id(self):
        for line in self:
            line.origin_country_id = line.product_id.country_of_origin

    @api.constrains("product_id", "lot_id")
    def _check_lot_product(self):
        for line in self:
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s is not one of product %(product)s.",
                        lot=line.lot_id.name,
                        product=line.product_id.display_name,
                    )
                )
