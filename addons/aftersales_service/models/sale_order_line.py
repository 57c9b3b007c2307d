from odoo import fields, models
from odoo.exceptions import UserError

from ..const import WARRANTY_LIVE_STATES


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    aftersales_is_warranty_extension = fields.Boolean(
        related="product_id.product_tmpl_id.aftersales_is_warranty_extension"
    )
    aftersales_lot_id = fields.Many2one(
        "stock.lot",
        string="Serial to Extend",
        index="btree_not_null",
        help="The serial number whose warranty this extension prolongs.",
    )

    def _aftersales_apply_warranty_extensions(self):
        """Extend the warranty of the serial of each warranty-extension line
        (once per line: confirming again does not extend twice)."""
        lines = self.filtered("aftersales_is_warranty_extension")
        if not lines:
            return
        missing = lines.filtered(lambda line: not line.aftersales_lot_id)
        if missing:
            raise UserError(
                self.env._(
                    "Choose the serial number to extend on the warranty extension "
                    "line %(line)s.",
                    line=missing[0].name,
                )
            )
        done = set(
            self.env["aftersales.warranty.extension"]
            .sudo()
            .search([("sale_line_id", "in", lines.ids)])
            .sale_line_id.ids
        )
        warranties = {
            w.lot_id: w
            for w in self.env["aftersales.warranty"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lines.aftersales_lot_id.ids),
                    ("state", "in", WARRANTY_LIVE_STATES),
                ]
            )
        }
        values = []
        for line in lines.filtered(lambda line: line.id not in done):
            warranty = warranties.get(line.aftersales_lot_id)
            if not warranty:
                raise UserError(
                    self.env._(
                        "Serial number %(serial)s has no live warranty "
                        "registration to extend.",
                        serial=line.aftersales_lot_id.name,
                    )
                )
            template = line.product_id.product_tmpl_id
            values.append(
                {
                    "warranty_id": warranty.id,
                    "months": template.aftersales_extension_months
                    * int(line.product_uom_qty or 1),
                    "change_coverage": template.aftersales_extension_change_coverage,
                    "parts_coverage": template.aftersales_extension_parts_coverage,
                    "labour_coverage": template.aftersales_extension_labour_coverage,
                    "sale_line_id": line.id,
                }
            )
        self.env["aftersales.warranty.extension"].sudo().create(values)
