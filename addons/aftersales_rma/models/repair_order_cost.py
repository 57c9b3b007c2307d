from odoo import api, fields, models

from ..tools.cost_split import split_costs


class RepairOrder(models.Model):
    """A done repair of an RMA records its costs: its parts at their stock
    valuation (the done moves' valuation layers; the parts taken from a
    dealer's consignment stock at the product's cost) and its labour (the
    hours of the repair quotation's service lines times the team's hourly
    cost), split between the warranty and the customer by the RMA line's
    warranty decision and the registration's coverage (``tools/cost_split.py``)."""

    _inherit = "repair.order"

    def action_repair_done(self):
        res = super().action_repair_done()
        repairs = self.filtered(lambda r: r.state == "done" and r.aftersales_rma_id)
        vals_list = repairs._prepare_aftersales_cost_line_vals()
        if vals_list:
            # the costs of the case follow from the repair, whoever closes it: a
            # repair user may not write cost lines (only managers may)
            self.env["aftersales.cost.line"].sudo()._create_from_sources(vals_list)
        return res

    @api.model
    def _aftersales_hours(self, sale_line):
        """The hours of a service line: its quantity, in hours when its unit is
        a unit of time."""
        hour = self.env.ref("uom.product_uom_hour")
        if sale_line.product_uom.category_id == hour.category_id:
            return sale_line.product_uom._compute_quantity(
                sale_line.product_uom_qty, hour
            )
        return sale_line.product_uom_qty

    def _aftersales_cost_split_terms(self, warranty):
        """``(decision, coverage, deductible in company currency)`` of the RMA
        line: the coverage and deductible of ``warranty``, the registration that
        counts for a partly covered repair; no deductible when the repair's
        quotation does not carry it."""
        self.ensure_one()
        line = self.aftersales_rma_line_id
        decision = line.warranty_decision or (self.under_warranty and "covered")
        if decision != "partial" or not warranty:
            return decision, {}, 0.0
        coverage = {
            "parts": warranty.parts_coverage,
            "labour": warranty.labour_coverage,
            "travel": warranty.travel_coverage,
        }
        deductible = 0.0
        # the deductible is charged once per case: a quotation of this repair
        # without it (another quotation of the ticket charges it) moves none
        product = self._aftersales_deductible_product()
        order = self.sale_order_id
        quoted = not order or product in order.order_line.product_id
        if quoted and warranty.deductible_amount and warranty.currency_id:
            deductible = warranty.currency_id._convert(
                warranty.deductible_amount,
                self.company_id.currency_id,
                self.company_id,
                fields.Date.context_today(self),
            )
        return decision, coverage, deductible

    def _prepare_aftersales_cost_line_vals(self):
        """Cost line values of these done repairs, each cost split by payer."""
        deductible_product = self._aftersales_deductible_product()
        today = fields.Date.context_today(self)
        # the registrations of the partly covered repairs' serials, in one go
        # (as ``_aftersales_coverage`` finds them one by one)
        partial = self.filtered(
            lambda r: r.aftersales_rma_line_id.warranty_decision == "partial"
        )
        Warranty = self.env["aftersales.warranty"].sudo()
        counting = Warranty._counting_for_lots(partial.lot_id) if partial else {}
        vals_list = []
        for repair in self:
            rma = repair.aftersales_rma_id
            team = rma.ticket_id.team_id
            costs = []  # (cost_type, amount, values, key)
            for move in repair.move_ids.filtered(
                lambda m: m.state == "done" and m.repair_line_type == "add"
            ):
                # the valuation, and a dealer's consigned parts (which Odoo
                # does not value) at the product's cost
                value = move._aftersales_parts_cost_value()
                if not value:
                    continue
                costs.append(
                    (
                        "parts",
                        value,
                        {
                            "name": move.product_id.display_name,
                            "product_id": move.product_id.id,
                            "quantity": move.quantity,
                        },
                        f"parts,{move.id}",
                    )
                )
            services = repair.sale_order_id.order_line.filtered(
                lambda sol: (
                    sol.product_id.type == "service"
                    and sol.product_id != deductible_product
                    and not sol.display_type
                )
            )
            hours = sum(self._aftersales_hours(sol) for sol in services)
            if hours and team.hourly_cost:
                costs.append(
                    (
                        "labour",
                        repair.company_id.currency_id.round(hours * team.hourly_cost),
                        {
                            "name": self.env._(
                                "Labour %(repair)s (%(hours)s h)",
                                repair=repair.name,
                                hours=round(hours, 2),
                            ),
                            "quantity": hours,
                        },
                        "labour",
                    )
                )
            if not costs:
                continue
            decision, coverage, deductible = repair._aftersales_cost_split_terms(
                counting.get(repair.lot_id.id, Warranty)
            )
            shares = split_costs(
                [(cost_type, amount) for cost_type, amount, _v, _k in costs],
                decision,
                coverage,
                deductible,
            )
            for (cost_type, _amount, values, key), share in zip(
                costs, shares, strict=True
            ):
                for payer, amount in share.items():
                    vals_list.append(
                        dict(
                            values,
                            rma_id=rma.id,
                            ticket_id=rma.ticket_id.id,
                            company_id=repair.company_id.id,
                            currency_id=repair.company_id.currency_id.id,
                            cost_type=cost_type,
                            payer=payer,
                            amount=amount,
                            date=today,
                            source_ref=f"{repair._name},{repair.id}",
                            source_key=f"{repair._name},{repair.id},{key},{payer}",
                        )
                    )
        return vals_list
