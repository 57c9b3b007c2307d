from odoo import Command, api, models

from ..tools.coverage import LABOUR, PARTS, coverage_discount


class RepairOrder(models.Model):
    """The quotation of a partly covered repair holds only the customer's share:
    parts and labour at list price with the warranty's coverage as discount, and
    the policy's deductible as a line of its own (README, "Partly covered
    repairs"). A fully covered repair is Odoo's own ``under_warranty``."""

    _inherit = "repair.order"

    def _aftersales_coverage(self):
        """The registration that counts for the repaired serial when its RMA line
        is partly covered (decision "partial"), else an empty recordset."""
        self.ensure_one()
        line = self.aftersales_rma_line_id
        Warranty = self.env["aftersales.warranty"].sudo()
        if line.warranty_decision != "partial" or not self.lot_id:
            return Warranty
        return Warranty._counting_for_lots(self.lot_id).get(self.lot_id.id, Warranty)

    def _aftersales_coverage_discount(self, kind):
        """The discount (in %) of a quotation line of ``kind`` (parts or labour)."""
        warranty = self._aftersales_coverage()
        if not warranty:
            return 0.0
        coverage = {
            PARTS: warranty.parts_coverage,
            LABOUR: warranty.labour_coverage,
        }[kind]
        return coverage_discount(coverage)

    def action_create_sale_order(self):
        res = super().action_create_sale_order()
        vals_list = []
        for repair in self:
            warranty = repair._aftersales_coverage()
            if warranty and warranty.deductible_amount:
                vals_list.append(repair._prepare_deductible_line_vals(warranty))
        if vals_list:
            self.env["sale.order.line"].create(vals_list)
        return res

    def _prepare_deductible_line_vals(self, warranty):
        """The quotation line of the policy's deductible, in the order's currency
        at the order's date."""
        self.ensure_one()
        order = self.sale_order_id
        product = self._aftersales_deductible_product()
        amount = warranty.currency_id._convert(
            warranty.deductible_amount,
            order.currency_id,
            order.company_id,
            order.date_order or order.create_date,
        )
        return {
            "order_id": order.id,
            "product_id": product.id,
            "name": self.env._(
                "Warranty deductible (%(policy)s)", policy=warranty.policy_id.name
            ),
            "product_uom_qty": 1.0,
            "price_unit": amount,
            "tax_id": [Command.set(product.taxes_id.ids)],
        }

    @api.model
    def _aftersales_deductible_product(self):
        return self.env.ref(
            "aftersales_rma.product_warranty_deductible", raise_if_not_found=False
        )
