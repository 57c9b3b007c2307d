from odoo import api, fields, models

from odoo.addons.aftersales_service.tools.matching import (
    country_precision,
    most_specific,
)


class AftersalesRmaTemplate(models.Model):
    _name = "aftersales.rma.template"
    _description = "RMA Template per Country"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    country_group_ids = fields.Many2many("res.country.group", string="Country Groups")
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Receiving Hub", check_company=True
    )
    freight_payer = fields.Selection(
        [("customer", "Customer"), ("company", "Company"), ("dealer", "Dealer")],
        string="Return Freight Paid By",
        default="company",
        required=True,
    )
    incoterm_id = fields.Many2one("account.incoterms")
    required_documents = fields.Text(translate=True)
    max_ship_days = fields.Integer(
        string="Days to Ship",
        default=14,
        help="Days the customer has to ship the goods.",
    )
    stale_days = fields.Integer(
        default=7,
        help="An RMA with no shipment event or state change for this many days is "
        "stale.",
    )
    # approval rule
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda s: s.env.company.currency_id,
        help="Currency of the auto-approval limit and of the advance deposit.",
    )
    auto_approve = fields.Boolean(
        string="Auto-Approve",
        help="Submitted RMAs that satisfy the rule below are approved without a "
        "manager.",
    )
    auto_approve_warranty_only = fields.Boolean(
        string="Only When All Lines Are Covered",
        default=True,
        help="Auto-approve only when every line's warranty decision is Covered.",
    )
    auto_approve_max_amount = fields.Monetary(
        string="Auto-Approval Limit",
        currency_field="currency_id",
        help="Auto-approve only when the RMA's total value is at most this amount "
        "(0: no limit).",
    )
    # advance replacement
    advance_deposit_product_id = fields.Many2one(
        "product.product",
        string="Deposit Product",
        check_company=True,
        help="Invoiced to the customer when the faulty unit of an advance "
        "replacement is not returned in time.",
    )
    advance_deposit_amount = fields.Monetary(
        string="Deposit Amount",
        currency_field="currency_id",
        help="Amount invoiced per unit not returned (0: the replacement's sales "
        "price).",
    )
    advance_deposit_grace_days = fields.Integer(
        string="Deposit After (days past due)",
        default=14,
        help="Days after the return due date before the deposit is invoiced.",
    )

    def _specificity(self, country):
        """Specificity of this template for ``country`` (``tools/matching.py`` of
        aftersales_service): ``(country precision,)``, ``None`` when it does not
        apply."""
        self.ensure_one()
        # the groups and their countries are read only when the country is not
        # listed (the country's groups: one read for every template)
        precision = country_precision(
            country.id,
            self.country_ids.ids,
            lambda: bool(self.country_group_ids),
            lambda: (
                country.ids
                if self.country_group_ids & country.country_group_ids
                else []
            ),
        )
        return None if precision is None else (precision,)

    @api.model
    def _find_for(self, country, company):
        """The template of a country by the matching rule (README, "The matching
        rule"): a template listing the country, else one of whose country groups
        contains it, else a catch-all (no country, no group); in each tier the
        first by sequence."""
        templates = self.search([("company_id", "=", company.id)])
        # a template listing the country beats every other one: when there is
        # one, the others' groups need not be read
        listed = templates.filtered(lambda t: country and country in t.country_ids)
        return (
            most_specific(
                (
                    template._specificity(country),
                    template.sequence,
                    template.id,
                    template,
                )
                for template in listed or templates
            )
            or self.browse()
        )

    def _auto_approval_allows(self, rma):
        """Whether this template approves ``rma`` without a manager."""
        self.ensure_one()
        if not self.auto_approve or not rma.line_ids:
            return False
        if self.auto_approve_warranty_only and any(
            line.warranty_decision != "covered" for line in rma.line_ids
        ):
            return False
        if self.auto_approve_max_amount:
            total = rma.currency_id._convert(
                rma.amount_total,
                self.currency_id,
                rma.company_id,
                fields.Date.context_today(self),
            )
            if (
                self.currency_id.compare_amounts(total, self.auto_approve_max_amount)
                > 0
            ):
                return False
        return True
