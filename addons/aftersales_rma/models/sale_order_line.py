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

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        """The lines of a spare part request's quotation are delivered by the
        request's own procurement (its sourcing rule), not by the order's."""
        lines = self.filtered(lambda line: not line.order_id.aftersales_part_request_id)
        return super(SaleOrderLine, lines)._action_launch_stock_rule(
            previous_product_uom_qty=previous_product_uom_qty
        )
