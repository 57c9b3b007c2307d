from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_is_warranty_extension = fields.Boolean(
        string="Is a Warranty Extension",
        help=(
            "Selling this product with a serial number extends that serial's warranty."
        ),
    )
    aftersales_extension_months = fields.Integer(
        string="Extension (months)", default=12
    )
    aftersales_extension_change_coverage = fields.Boolean(
        string="Extension Changes Coverage"
    )
    aftersales_extension_parts_coverage = fields.Float(
        string="Extension Parts (%)", default=100.0
    )
    aftersales_extension_labour_coverage = fields.Float(
        string="Extension Labour (%)", default=100.0
    )
    aftersales_warranty_count = fields.Integer(
        compute="_compute_aftersales_warranty_count",
        groups="aftersales_service.aftersales_group_user",
    )

    def write(self, vals):
        if "company_id" in vals:
            # the products' companies kept per registry for the tickets' check
            # (aftersales.ticket._product_owner_companies())
            self.env.registry.clear_cache()
        return super().write(vals)

    def _compute_aftersales_warranty_count(self):
        groups = self.env["aftersales.warranty"]._read_group(
            [("product_id.product_tmpl_id", "in", self.ids)],
            ["product_id"],
            ["__count"],
        )
        totals = {}
        for product, count in groups:
            totals[product.product_tmpl_id] = (
                totals.get(product.product_tmpl_id, 0) + count
            )
        for template in self:
            template.aftersales_warranty_count = totals.get(template, 0)

    @api.constrains("aftersales_is_warranty_extension", "aftersales_extension_months")
    def _check_aftersales_extension(self):
        for template in self:
            if (
                template.aftersales_is_warranty_extension
                and template.aftersales_extension_months <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "A warranty extension product must add at least one month."
                    )
                )

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_warranty_action"
        )
        action["domain"] = [("product_id.product_tmpl_id", "=", self.id)]
        return action
