from odoo import api, models

from ..tools.coverage import LABOUR, PARTS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        """On the quotation of a partly covered repair, a part (a line of one of
        its moves) and an hour of labour (a service) get the warranty's coverage
        as their discount, unless another discount is given (repair.order's
        _aftersales_coverage_discount())."""
        lines = super().create(vals_list)
        deductible = self.env["repair.order"]._aftersales_deductible_product()
        for line, vals in zip(lines, vals_list, strict=True):
            repair = line.order_id.repair_order_ids[:1]
            if not repair or vals.get("discount") or line.product_id == deductible:
                continue
            if line.move_ids.repair_id:
                kind = PARTS
            elif line.product_id.type == "service":
                kind = LABOUR
            else:
                continue
            discount = repair._aftersales_coverage_discount(kind)
            if discount:
                line.discount = discount
        return lines
