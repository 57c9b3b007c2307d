from collections import defaultdict

from odoo import fields, models

from ..tools.rates import RateCache


class AftersalesClaim(models.Model):
    """A paid claim records what the warranty paid the dealer as cost lines of
    its ticket: one line per cost type of the claim (its approved amount, payer
    warranty, source the claim), in company currency at the payment document's
    date. The warranty's cost of the same type already recorded for the ticket
    by the repair orders of the claim's serial is not counted twice: the claim's
    line records only the approved amount above it (README, "Cost of every
    case")."""

    _inherit = "aftersales.claim"

    def _set_paid(self):
        res = super()._set_paid()
        vals_list = self._prepare_cost_line_vals()
        if vals_list:
            # the case's costs follow from the posted payment, whoever posts it:
            # an accountant may not write cost lines
            self.env["aftersales.cost.line"].sudo()._create_from_sources(vals_list)
        return res

    def _aftersales_repair_costs(self):
        """``{(ticket id, lot id, cost type): amount in company currency}``: the
        warranty's costs the repair orders of these claims' tickets recorded,
        in two queries."""
        lines = (
            self.env["aftersales.cost.line"]
            .sudo()
            .search_fetch(
                [
                    ("ticket_id", "in", self.ticket_id.ids),
                    ("payer", "=", "warranty"),
                    ("source_model", "=", "repair.order"),
                ],
                ["ticket_id", "cost_type", "amount_company", "source_res_id"],
            )
        )
        repairs = (
            self.env["repair.order"]
            .sudo()
            .browse(set(lines.mapped("source_res_id")))
            .exists()
        )
        lot_of = {repair.id: repair.lot_id.id for repair in repairs}
        costs = defaultdict(float)
        for line in lines:
            key = (line.ticket_id.id, lot_of.get(line.source_res_id), line.cost_type)
            costs[key] += line.amount_company
        return costs

    def _prepare_cost_line_vals(self):
        """Cost line values of these paid claims (those with a ticket: a cost
        line belongs to a case)."""
        claims = self.filtered("ticket_id")
        if not claims:
            return []
        recorded = claims._aftersales_repair_costs()
        rates = RateCache(self.env)
        vals_list = []
        for claim in claims:
            company = claim.company_id
            day = claim.move_id.invoice_date or fields.Date.context_today(claim)
            rate = rates.rate(claim.currency_id, company.currency_id, company, day)
            by_type = defaultdict(float)
            for line in claim.line_ids:
                by_type[line.cost_type] += line.amount_approved
            for cost_type, approved in by_type.items():
                amount = company.currency_id.round(approved * rate)
                # what the repair orders recorded is deducted once, not from
                # each claim on the same serial
                cost_key = (claim.ticket_id.id, claim.lot_id.id, cost_type)
                deducted = min(recorded.get(cost_key, 0.0), amount)
                recorded[cost_key] = recorded.get(cost_key, 0.0) - deducted
                amount -= deducted
                if company.currency_id.compare_amounts(amount, 0.0) <= 0:
                    continue
                vals_list.append(
                    {
                        "name": self.env._(
                            "Dealer claim %(claim)s (%(dealer)s)",
                            claim=claim.name,
                            dealer=claim.dealer_id.display_name,
                        ),
                        "ticket_id": claim.ticket_id.id,
                        "company_id": company.id,
                        "currency_id": company.currency_id.id,
                        "cost_type": cost_type,
                        "payer": "warranty",
                        "amount": amount,
                        "date": day,
                        "source_ref": f"{claim._name},{claim.id}",
                        "source_key": f"{claim._name},{claim.id},{cost_type}",
                    }
                )
        return vals_list
