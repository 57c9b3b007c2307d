from odoo import Command, api, models


class AftersalesDeductibleMixin(models.AbstractModel):
    """The policy's deductible on a customer's quotation: a line of its own
    (product *Warranty Deductible*) in the order's currency at the order's date,
    charged once per case. Used by the repair order and the spare part request,
    whose quotations hold only the customer's share of a partly covered case
    (README, "Partly covered repairs")."""

    _name = "aftersales.deductible.mixin"
    _description = "After-Sales Warranty Deductible"

    # the path from a record to the ticket of its case
    _aftersales_deductible_ticket_path = "ticket_id"

    @api.model
    def _aftersales_deductible_product(self):
        return self.env.ref(
            "aftersales_rma.product_warranty_deductible", raise_if_not_found=False
        )

    @api.model
    def _aftersales_deductible_charged(self, tickets):
        """The ids of ``tickets`` that a live (not cancelled) quotation already
        charges the deductible: a part request's quotation of the ticket, or a
        repair's quotation of an RMA of the ticket. One search for the batch."""
        product = self._aftersales_deductible_product()
        if not tickets or not product:
            return set()
        # sudo: the quotations of the case, read to charge the deductible once
        # (the engineer or the repair user may lack sales rights)
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search_fetch(
                [
                    ("product_id", "=", product.id),
                    ("order_id.state", "!=", "cancel"),
                    "|",
                    (
                        "order_id.aftersales_part_request_id.ticket_id",
                        "in",
                        tickets.ids,
                    ),
                    (
                        "order_id.repair_order_ids.aftersales_rma_id.ticket_id",
                        "in",
                        tickets.ids,
                    ),
                ],
                ["order_id"],
            )
        )
        orders = lines.order_id
        charged = (
            orders.aftersales_part_request_id.ticket_id
            | orders.repair_order_ids.aftersales_rma_id.ticket_id
        )
        return set(charged.ids) & set(tickets.ids)

    def _aftersales_create_deductible_lines(self):
        """Add the deductible line to the quotations (``sale_order_id``) of these
        records (repairs, part requests), once per case: not for a case whose
        live quotation has it already, nor twice in this batch. Each model gives
        its case's ticket (``_aftersales_deductible_ticket_path``), its coverage
        (``_aftersales_coverage()``) and its line
        (``_prepare_deductible_line_vals()``)."""
        path = self._aftersales_deductible_ticket_path
        charged = self._aftersales_deductible_charged(self.mapped(path))
        vals_list = []
        for record in self:
            warranty = record._aftersales_coverage()
            if not (warranty and warranty.deductible_amount and record.sale_order_id):
                continue
            ticket = record.mapped(path)
            if ticket.id in charged:
                continue
            if ticket:
                charged.add(ticket.id)
            vals_list.append(record._prepare_deductible_line_vals(warranty))
        if vals_list:
            self.env["sale.order.line"].create(vals_list)

    @api.model
    def _aftersales_prepare_deductible_line_vals(self, order, warranty):
        """The line of ``warranty``'s deductible on ``order``, converted from the
        policy's currency to the order's at the order's date."""
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
