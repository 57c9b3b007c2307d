from odoo import api, fields, models

AUDIENCES = [
    ("dealers", "Dealers"),
    ("customers", "Customers"),
    ("both", "Dealers and Customers"),
]


class AftersalesArticle(models.Model):
    """A knowledge centre article, written in the backend, read on the portal."""

    _name = "aftersales.article"
    _description = "Knowledge Centre Article"
    _order = "sequence, id desc"
    _rec_names_search = ["name", "summary"]
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, translate=True, index="trigram")
    summary = fields.Char(translate=True)
    body = fields.Html(translate=True, sanitize=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    product_tmpl_ids = fields.Many2many(
        "product.template", string="Products", check_company=True
    )
    categ_ids = fields.Many2many("product.category", string="Product Categories")
    audience = fields.Selection(
        AUDIENCES,
        required=True,
        default="both",
        index=True,
        help="Who reads the article on the portal once it is published.",
    )
    published = fields.Boolean(index=True, copy=False)

    @api.model
    def _portal_suggested(self, product, limit=5):
        """Published articles for ``product`` (its template or its category and
        the parents of that category) the current user may read."""
        if not product or not self.has_access("read"):
            return self.browse()
        product = product.sudo()
        categories = (
            self.env["product.category"]
            .sudo()
            .search([("id", "parent_of", product.categ_id.ids)])
        )
        return self.search(
            [
                "|",
                ("product_tmpl_ids", "in", product.product_tmpl_id.ids),
                ("categ_ids", "in", categories.ids),
            ],
            limit=limit,
        )
