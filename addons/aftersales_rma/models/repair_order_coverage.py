from odoo import models

from ..tools.coverage import LABOUR, PARTS, coverage_discount


class RepairOrder(models.Model):
    """The quotation of a partly covered repair holds only the customer's share:
    parts and labour at list price with the warranty's coverage as discount, and
    the policy's deductible as a line of its own, once per case (README, "Partly
    covered repairs"). A fully covered repair is Odoo's own ``under_warranty``."""

    _name = "repair.order"
    _inherit = ["repair.order", "aftersales.deductible.mixin"]

    _aftersales_deductible_ticket_path = "aftersales_rma_id.ticket_id"

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
        # the deductible is charged once per case: not again when another live
        # quotation of the ticket (a part request's, another repair's) has it
        self._aftersales_create_deductible_lines()
        return res

    def _prepare_deductible_line_vals(self, warranty):
        """The quotation line of the policy's deductible, in the order's currency
        at the order's date (``aftersales.deductible.mixin``)."""
        self.ensure_one()
        return self._aftersales_prepare_deductible_line_vals(
            self.sale_order_id, warranty
        )
