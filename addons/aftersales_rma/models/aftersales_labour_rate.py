from odoo import api, fields, models
from odoo.exceptions import ValidationError

RATE_TYPES = [("flat_time", "Flat-Rate Time"), ("hourly", "Hourly Rate")]


class AftersalesLabourRate(models.Model):
    """The rate table of dealer claims: a flat-rate time (hours for a product,
    a product category or a ticket type) or an hourly rate (for a dealer or a
    country, with its currency and the cap of a travel line)."""

    _name = "aftersales.labour.rate"
    _description = "After-Sales Labour Rate"
    _order = "rate_type, sequence, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    rate_type = fields.Selection(RATE_TYPES, required=True, default="flat_time")
    product_id = fields.Many2one("product.product", check_company=True)
    categ_id = fields.Many2one("product.category", string="Product Category")
    ticket_type_id = fields.Many2one("aftersales.ticket.type")
    hours = fields.Float(string="Flat-Rate Hours")
    dealer_id = fields.Many2one(
        "res.partner",
        check_company=True,
        domain="[('aftersales_role', 'in', ('dealer', 'distributor'))]",
    )
    country_id = fields.Many2one("res.country")
    currency_id = fields.Many2one(
        "res.currency", default=lambda s: s.env.company.currency_id
    )
    hourly_rate = fields.Monetary()
    travel_cap = fields.Monetary(
        help="Highest travel amount of one claim line (0: none)."
    )

    @api.depends(
        "rate_type",
        "product_id",
        "categ_id",
        "ticket_type_id",
        "dealer_id",
        "country_id",
    )
    def _compute_name(self):
        for rate in self:
            if rate.rate_type == "flat_time":
                scope = rate.product_id or rate.categ_id or rate.ticket_type_id
            else:
                scope = rate.dealer_id or rate.country_id
            rate.name = scope.display_name or self.env._("Default")

    @api.constrains("rate_type", "hours", "hourly_rate", "currency_id")
    def _check_values(self):
        for rate in self:
            if rate.rate_type == "flat_time" and rate.hours <= 0:
                raise ValidationError(
                    self.env._("A flat-rate time needs a positive number of hours.")
                )
            if rate.rate_type == "hourly" and (
                rate.hourly_rate <= 0 or not rate.currency_id
            ):
                raise ValidationError(
                    self.env._("An hourly rate needs a positive amount and a currency.")
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _flat_time_table(self, company):
        """All flat-rate times of ``company`` (one query), most specific first:
        product, category (the nearest parent wins), ticket type."""
        return self.search_fetch(
            [("rate_type", "=", "flat_time"), ("company_id", "=", company.id)],
            ["product_id", "categ_id", "ticket_type_id", "hours"],
        )

    @api.model
    def _flat_hours_in(self, table, product, ticket_type):
        """Flat-rate hours for ``product`` (or, without a product rate, for its
        category or a parent category, then for ``ticket_type``) in ``table``
        (``_flat_time_table``); 0.0 when none applies."""
        for rate in table:
            if product and rate.product_id == product:
                return rate.hours
        categ = product.categ_id if product else False
        while categ:
            for rate in table:
                if not rate.product_id and rate.categ_id == categ:
                    return rate.hours
            categ = categ.parent_id
        for rate in table:
            if (
                ticket_type
                and not rate.product_id
                and not rate.categ_id
                and rate.ticket_type_id == ticket_type
            ):
                return rate.hours
        return 0.0

    @api.model
    def _hourly_rates_for(self, dealers, company):
        """``{dealer id: rate record}``: the hourly rate of each dealer, its own
        rate, else the rate of its country, else the company's default (a rate
        without dealer and country); one query for any number of dealers."""
        rates = self.search_fetch(
            [("rate_type", "=", "hourly"), ("company_id", "=", company.id)],
            ["dealer_id", "country_id", "hourly_rate", "travel_cap", "currency_id"],
        )
        result = {}
        for dealer in dealers:
            chosen = self.browse()
            for rate in rates:
                if rate.dealer_id == dealer:
                    chosen = rate
                    break
            if not chosen:
                for rate in rates:
                    if not rate.dealer_id and rate.country_id == dealer.country_id:
                        chosen = rate
                        break
            if not chosen:
                chosen = next(
                    (r for r in rates if not r.dealer_id and not r.country_id),
                    self.browse(),
                )
            result[dealer.id] = chosen
        return result
