from odoo import models

from ..tools.coverage import coverage_discount


class AftersalesPartRequest(models.Model):
    """The spare parts of a partly covered ticket (no repair) are charged as a
    partly covered repair is: the quotation holds only the customer's share,
    each part at list price with the registration's parts coverage as its
    discount and the policy's deductible as a line of its own, once per case;
    the delivered parts' cost is split between the warranty and the customer
    (README, "Spare parts for a case")."""

    _name = "aftersales.part.request"
    _inherit = ["aftersales.part.request", "aftersales.deductible.mixin"]

    def _aftersales_coverage(self):
        """The registration that counts for a partly covered request (its
        ticket's decision is "partial", no repair: a repair charges its parts
        through its own quotation), else an empty recordset: the ticket's
        registration, the one ``aftersales.warranty._counting_for_lots`` gives
        for its serial."""
        self.ensure_one()
        # sudo: the decision and the registration of the case, read for the
        # engineer or the warehouse user (as the ticket shows them)
        Warranty = self.env["aftersales.warranty"].sudo()
        ticket = self.sudo().ticket_id
        if self.repair_id or ticket.warranty_decision != "partial":
            return Warranty
        return ticket.warranty_id

    def _prepare_sale_line_vals(self, line):
        vals = super()._prepare_sale_line_vals(line)
        warranty = self._aftersales_coverage()
        discount = coverage_discount(warranty.parts_coverage) if warranty else 0.0
        if discount:
            vals["discount"] = discount
        return vals

    def _create_quotations(self):
        orders = super()._create_quotations()
        # the deductible is charged once per case: not again when another live
        # quotation of the ticket (another part request's, a repair's) has it
        self._aftersales_create_deductible_lines()
        return orders

    def _prepare_deductible_line_vals(self, warranty):
        """The quotation line of the policy's deductible, in the order's currency
        at the order's date (``aftersales.deductible.mixin``)."""
        self.ensure_one()
        return self._aftersales_prepare_deductible_line_vals(
            self.sale_order_id, warranty
        )

    def _aftersales_cost_split_terms(self, on_date):
        """``(decision, coverage, deductible in company currency on on_date)``
        by which the parts' cost of this request is split
        (``tools/cost_split.split_costs``): a partly covered request splits by
        its registration's coverage, with the deductible when its own quotation
        carries it; otherwise the customer pays a charged request, the warranty
        the others (the **Customer Pays** box)."""
        self.ensure_one()
        if not self.chargeable:
            return "covered", {}, 0.0
        warranty = self._aftersales_coverage()
        if not warranty:
            return "chargeable", {}, 0.0
        coverage = {
            "parts": warranty.parts_coverage,
            "labour": warranty.labour_coverage,
            "travel": warranty.travel_coverage,
        }
        deductible = 0.0
        # sudo: the request's quotation, read without sales rights
        order = self.sudo().sale_order_id
        product = self._aftersales_deductible_product()
        if (
            warranty.deductible_amount
            and warranty.currency_id
            and product in order.order_line.product_id
        ):
            company = self.company_id
            deductible = warranty.currency_id._convert(
                warranty.deductible_amount, company.currency_id, company, on_date
            )
        return "partial", coverage, deductible
