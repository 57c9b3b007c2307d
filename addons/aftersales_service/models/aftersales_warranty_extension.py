from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesWarrantyExtension(models.Model):
    """An extended warranty sold on a serial number: the history of extensions."""

    _name = "aftersales.warranty.extension"
    _description = "Warranty Extension"
    _order = "date, id"

    warranty_id = fields.Many2one(
        "aftersales.warranty", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="warranty_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    months = fields.Integer(required=True)
    change_coverage = fields.Boolean(string="Changes Coverage")
    parts_coverage = fields.Float(string="Parts Covered (%)", default=100.0)
    labour_coverage = fields.Float(string="Labour Covered (%)", default=100.0)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sold On", index="btree_not_null"
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "sale_line_uniq",
            "unique(sale_line_id)",
            "This sale order line already extended a warranty.",
        ),
    ]

    @api.constrains("months", "parts_coverage", "labour_coverage")
    def _check_values(self):
        for extension in self:
            if extension.months <= 0:
                raise ValidationError(
                    self.env._("A warranty extension adds at least one month.")
                )
            if not (
                0 <= extension.parts_coverage <= 100
                and 0 <= extension.labour_coverage <= 100
            ):
                raise ValidationError(
                    self.env._("Coverages are percentages between 0 and 100.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        extensions = super().create(vals_list)
        for extension in extensions:
            extension.warranty_id.message_post(
                body=self.env._(
                    "Warranty extended by %(months)s months (%(origin)s): "
                    "now ends on %(end)s.",
                    months=extension.months,
                    origin=extension.sale_line_id.order_id.name
                    or extension.note
                    or "-",
                    end=extension.warranty_id.date_end,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return extensions
