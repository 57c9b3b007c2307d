from odoo import api, fields, models

FAILURE_CODE_KINDS = [
    ("symptom", "Symptom"),
    ("cause", "Cause"),
    ("remedy", "Remedy"),
]


class AftersalesFailureCode(models.Model):
    """What failed, why and what fixed it: the quality loop's vocabulary,
    recorded on the ticket's resolution, on RMA lines and on repairs, and
    counted per product, lot and supplier."""

    _name = "aftersales.failure.code"
    _description = "After-Sales Failure Code"
    _order = "kind, sequence, code, id"
    _rec_names_search = ["code", "name"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    kind = fields.Selection(FAILURE_CODE_KINDS, required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The categories (and their subcategories) whose products may get this "
        "code; empty for every product.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by every company."
    )

    _sql_constraints = [
        (
            "code_kind_company_uniq",
            "unique(code, kind, company_id)",
            "A failure code must be unique per kind and company.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for code in self:
            code.display_name = f"[{code.code}] {code.name}" if code.code else code.name

    def _fits_category(self, category):
        """Whether this code may be used for a product of ``category``."""
        self.ensure_one()
        if not self.categ_ids:
            return True
        if not category:
            return False
        ancestors = {int(cid) for cid in category.parent_path.split("/") if cid}
        return bool(ancestors & set(self.categ_ids.ids))
