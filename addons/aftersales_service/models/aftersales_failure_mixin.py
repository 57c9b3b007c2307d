from odoo import api, fields, models
from odoo.exceptions import ValidationError

CODE_DOMAIN = (
    "[('kind', '=', '%s'), '|', ('categ_ids', '=', False), "
    "('categ_ids', 'parent_of', aftersales_failure_categ_id)]"
)


class AftersalesFailureMixin(models.AbstractModel):
    """The failure codes of a document about one product (a ticket, an RMA line,
    a repair): symptom, cause and remedy, limited to the codes of the product's
    category. The document gives its product by _aftersales_failure_product()."""

    _name = "aftersales.failure.mixin"
    _description = "After-Sales Failure Codes"

    aftersales_failure_categ_id = fields.Many2one(
        "product.category",
        compute="_compute_aftersales_failure_categ_id",
        compute_sudo=True,
        string="Failure Codes' Category",
        groups="base.group_user",
    )
    symptom_code_id = fields.Many2one(
        "aftersales.failure.code",
        string="Symptom",
        index="btree_not_null",
        groups="base.group_user",
        ondelete="restrict",
        domain=CODE_DOMAIN % "symptom",
    )
    cause_code_id = fields.Many2one(
        "aftersales.failure.code",
        string="Cause",
        index="btree_not_null",
        groups="base.group_user",
        ondelete="restrict",
        domain=CODE_DOMAIN % "cause",
    )
    remedy_code_id = fields.Many2one(
        "aftersales.failure.code",
        string="Remedy",
        index="btree_not_null",
        groups="base.group_user",
        ondelete="restrict",
        domain=CODE_DOMAIN % "remedy",
    )

    def _aftersales_failure_product(self):
        """The product whose category limits the codes (a product.product)."""
        return self["product_id"]

    def _compute_aftersales_failure_categ_id(self):
        for record in self:
            record.aftersales_failure_categ_id = (
                record._aftersales_failure_product().categ_id
            )

    @api.constrains("symptom_code_id", "cause_code_id", "remedy_code_id")
    def _check_failure_codes(self):
        for record in self:
            category = record._aftersales_failure_product().categ_id
            for fname, kind in (
                ("symptom_code_id", "symptom"),
                ("cause_code_id", "cause"),
                ("remedy_code_id", "remedy"),
            ):
                code = record[fname]
                if code and code.kind != kind:
                    raise ValidationError(
                        self.env._(
                            "%(code)s is not a failure code of the kind %(kind)s.",
                            code=code.display_name,
                            kind=record._fields[fname].string,
                        )
                    )
                if code and not code._fits_category(category):
                    raise ValidationError(
                        self.env._(
                            "The failure code %(code)s is not for products of the "
                            "category %(category)s.",
                            code=code.display_name,
                            category=category.display_name or self.env._("(none)"),
                        )
                    )
