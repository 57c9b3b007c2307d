from odoo import models


class StockPicking(models.Model):
    """A validated delivery of a spare part request records the parts' cost on
    the case, as a done repair records its parts; a validated return of that
    delivery (a part returned unused) records the opposite line for the
    returned quantity (README, "Cost of every case")."""

    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        deliveries = self.filtered(
            lambda p: p.state == "done" and p.move_ids.aftersales_part_line_id
        )
        vals_list = deliveries._prepare_aftersales_part_cost_line_vals()
        vals_list += deliveries._prepare_aftersales_part_return_cost_line_vals()
        if vals_list:
            # the parts' cost follows from the validated delivery, whoever
            # validates it: a warehouse user may not write cost lines
            self.env["aftersales.cost.line"].sudo()._create_from_sources(vals_list)
        return res

    def _prepare_aftersales_part_cost_line_vals(self):
        """Cost line values of the parts these validated transfers delivered to
        a customer: their stock valuation (a dealer's consigned parts, which
        Odoo does not value: the product's cost in the company's currency),
        paid by the customer when the request is charged, else by the
        warranty."""
        vals_list = []
        for picking in self:
            moves = picking.move_ids.filtered(
                lambda m: (
                    m.state == "done"
                    and m.aftersales_part_line_id
                    and m.location_dest_id.usage == "customer"
                )
            )
            company = picking.company_id
            for move in moves:
                # sudo: the valuation layers, read for the cost (no accounting
                # rights needed)
                value = -sum(move.sudo().stock_valuation_layer_ids.mapped("value"))
                # a dealer's consigned parts have no valuation (Odoo values
                # only the company's own quants): they cost the product's cost
                consigned = move._aftersales_consigned_qty()
                if consigned:
                    value += company.currency_id.round(
                        consigned * move.product_id.with_company(company).standard_price
                    )
                request = move.aftersales_part_request_id
                rma = request.repair_id.aftersales_rma_id
                ticket = request.ticket_id or rma.ticket_id
                if not value or not (ticket or rma):
                    continue
                vals_list.append(
                    {
                        "name": self.env._(
                            "%(request)s: %(product)s",
                            request=request.name,
                            product=move.product_id.display_name,
                        ),
                        "ticket_id": ticket.id,
                        "rma_id": rma.id,
                        "company_id": company.id,
                        "currency_id": company.currency_id.id,
                        "cost_type": "parts",
                        "payer": "customer" if request.chargeable else "warranty",
                        "product_id": move.product_id.id,
                        "quantity": move.quantity,
                        "amount": value,
                        "date": picking.date_done.date(),
                        "source_ref": f"{picking._name},{picking.id}",
                        "source_key": f"{picking._name},{picking.id},parts,{move.id}",
                    }
                )
        return vals_list

    def _prepare_aftersales_part_return_cost_line_vals(self):
        """Cost line values of the parts these validated transfers brought back
        from the customer (Odoo's return of a part request's delivery): minus
        the delivery's cost line per unit times the returned quantity, with its
        payer; one search for the delivery lines of the whole batch."""
        returns = self.move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.aftersales_part_line_id
                and m.location_id.usage == "customer"
                and m.origin_returned_move_id
            )
        )
        if not returns:
            return []
        delivered = returns.origin_returned_move_id
        keys = {
            move.id: f"{move.picking_id._name},{move.picking_id.id},parts,{move.id}"
            for move in delivered
        }
        # sudo: the delivery's cost line, read to reverse it (a warehouse user
        # may not read cost lines)
        cost_lines = (
            self.env["aftersales.cost.line"]
            .sudo()
            .search([("source_key", "in", list(keys.values()))])
        )
        by_key = {line.source_key: line for line in cost_lines}
        vals_list = []
        for move in returns:
            origin = move.origin_returned_move_id
            cost = by_key.get(keys[origin.id])
            if not cost or not cost.quantity:
                continue
            quantity = move.product_uom._compute_quantity(
                move.quantity, origin.product_uom
            )
            picking = move.picking_id
            vals_list.append(
                {
                    "name": self.env._("%(line)s (returned unused)", line=cost.name),
                    "ticket_id": cost.ticket_id.id,
                    "rma_id": cost.rma_id.id,
                    "company_id": cost.company_id.id,
                    "currency_id": cost.currency_id.id,
                    "cost_type": "parts",
                    "payer": cost.payer,
                    "product_id": move.product_id.id,
                    "quantity": quantity,
                    "amount": -cost.currency_id.round(
                        cost.amount / cost.quantity * quantity
                    ),
                    "date": picking.date_done.date(),
                    "source_ref": f"{picking._name},{picking.id}",
                    "source_key": f"{picking._name},{picking.id},parts,{move.id}",
                }
            )
        return vals_list
