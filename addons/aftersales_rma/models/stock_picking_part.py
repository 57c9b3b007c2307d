from collections import defaultdict

from odoo import models

from ..tools.cost_split import CUSTOMER, WARRANTY, split_costs
from ..tools.coverage import split_amount

# the key of a delivered part's cost line: "stock.picking,<picking>,parts,<move>"
# when one payer pays it (as before partly covered requests were split, so that
# the lines of existing databases keep their keys); a split cost (a partly
# covered request) has one line per payer, the key suffixed by the payer
# (",warranty", ",customer"). The line that reverses a returned part takes the
# return's key with the suffix of the line it reverses.
PAYER_SUFFIXES = ("", f",{WARRANTY}", f",{CUSTOMER}")


class StockPicking(models.Model):
    """A validated delivery of a spare part request records the parts' cost on
    the case, as a done repair records its parts; a validated return of that
    delivery (a part returned unused) records the opposite lines for the
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

    def _aftersales_part_cost_key(self, move):
        """The cost key of a part request's move (without payer suffix)."""
        return f"{move.picking_id._name},{move.picking_id.id},parts,{move.id}"

    def _prepare_aftersales_part_cost_line_vals(self):
        """Cost line values of the parts these validated transfers delivered to
        a customer: their stock valuation (a dealer's consigned parts, which
        Odoo does not value: the product's cost in the company's currency),
        split by payer (``tools/cost_split.split_costs``) by the request's
        terms (``aftersales.part.request._aftersales_cost_split_terms``): the
        warranty's when covered, the customer's when charged, both shares when
        partly covered, the deductible moved to the customer once per request."""
        costs = defaultdict(list)  # request: [(move, value)]
        for picking in self:
            moves = picking.move_ids.filtered(
                lambda m: (
                    m.state == "done"
                    and m.aftersales_part_line_id
                    and m.location_dest_id.usage == "customer"
                )
            )
            for move in moves:
                value = move._aftersales_parts_cost_value()
                # sudo: the request's terms, read for the cost (a warehouse user
                # may not read part requests and tickets)
                request = move.sudo().aftersales_part_request_id
                rma = request.repair_id.aftersales_rma_id
                ticket = request.ticket_id or rma.ticket_id
                if not value or not (ticket or rma):
                    continue
                costs[request].append((move, value))
        if not costs:
            return []
        moved = self._aftersales_part_deductible_moved(
            self.env["aftersales.part.request"].sudo().union(*costs)
        )
        vals_list = []
        for request, request_costs in costs.items():
            rma = request.repair_id.aftersales_rma_id
            ticket = request.ticket_id or rma.ticket_id
            decision, coverage, deductible = request._aftersales_cost_split_terms(
                request_costs[0][0].picking_id.date_done.date()
            )
            shares = split_costs(
                [("parts", value) for _move, value in request_costs],
                decision,
                coverage,
                max(deductible - moved.get(request.id, 0.0), 0.0),
            )
            for (move, _value), share in zip(request_costs, shares, strict=True):
                picking = move.picking_id
                key = self._aftersales_part_cost_key(move)
                for payer, amount in share.items():
                    vals_list.append(
                        {
                            "name": self.env._(
                                "%(request)s: %(product)s",
                                request=request.name,
                                product=move.product_id.display_name,
                            ),
                            "ticket_id": ticket.id,
                            "rma_id": rma.id,
                            "company_id": picking.company_id.id,
                            "currency_id": picking.company_id.currency_id.id,
                            "cost_type": "parts",
                            "payer": payer,
                            "product_id": move.product_id.id,
                            "quantity": move.quantity,
                            "amount": amount,
                            "date": picking.date_done.date(),
                            "source_ref": f"{picking._name},{picking.id}",
                            "source_key": key if len(share) == 1 else f"{key},{payer}",
                        }
                    )
        return vals_list

    def _aftersales_part_deductible_moved(self, requests):
        """``{request id: amount}``: the deductible already moved to the
        customer by the cost lines of the partly covered ``requests``'
        deliveries validated before these transfers (a backorder, another
        line's delivery): what their customer lines carry beyond the customer's
        share of their cost. One search for the batch."""
        partial = requests.filtered(
            lambda r: r.chargeable and r._aftersales_coverage().deductible_amount
        )
        earlier = partial.move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.location_dest_id.usage == "customer"
                and m.picking_id not in self
            )
        )
        if not earlier:
            return {}
        keys = {}
        for move in earlier:
            base = self._aftersales_part_cost_key(move)
            for suffix in PAYER_SUFFIXES:
                keys[f"{base}{suffix}"] = move
        # sudo: the earlier deliveries' cost lines (a warehouse user may not
        # read cost lines)
        lines = (
            self.env["aftersales.cost.line"]
            .sudo()
            .search([("source_key", "in", list(keys))])
        )
        total, customer = defaultdict(float), defaultdict(float)
        for line in lines:
            move = keys[line.source_key]
            total[move] += line.amount
            if line.payer == CUSTOMER:
                customer[move] += line.amount
        moved = defaultdict(float)
        for move, amount in total.items():
            request = move.aftersales_part_request_id
            coverage = request._aftersales_coverage().parts_coverage
            share = split_amount(amount, coverage)[1]
            moved[request.id] += max(customer[move] - share, 0.0)
        return moved

    def _prepare_aftersales_part_return_cost_line_vals(self):
        """Cost line values of the parts these validated transfers brought back
        from the customer (Odoo's return of a part request's delivery): for each
        cost line of the returned delivery move (one per payer), minus its
        amount per unit times the returned quantity, with its payer; one search
        for the delivery lines of the whole batch."""
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
        keys = {}  # source key: (delivered move id, payer suffix)
        for move in returns.origin_returned_move_id:
            base = self._aftersales_part_cost_key(move)
            for suffix in PAYER_SUFFIXES:
                keys[f"{base}{suffix}"] = (move.id, suffix)
        # sudo: the delivery's cost lines, read to reverse them (a warehouse
        # user may not read cost lines)
        cost_lines = (
            self.env["aftersales.cost.line"]
            .sudo()
            .search([("source_key", "in", list(keys))], order="id")
        )
        by_move = defaultdict(list)
        for line in cost_lines:
            move_id, suffix = keys[line.source_key]
            by_move[move_id].append((line, suffix))
        vals_list = []
        for move in returns:
            origin = move.origin_returned_move_id
            quantity = move.product_uom._compute_quantity(
                move.quantity, origin.product_uom
            )
            picking = move.picking_id
            key = self._aftersales_part_cost_key(move)
            for cost, suffix in by_move[origin.id]:
                if not cost.quantity:
                    continue
                vals_list.append(
                    {
                        "name": self.env._(
                            "%(line)s (returned unused)", line=cost.name
                        ),
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
                        "source_key": f"{key}{suffix}",
                    }
                )
        return vals_list
