from odoo import api, fields, models

from ..tools.dealer_points import ticket_kept_rules, ticket_rules


class AftersalesTicket(models.Model):
    """The dealer points a ticket earns its dealer: SLA met, a 5-star rating."""

    _inherit = "aftersales.ticket"

    @api.model
    def _dealer_points_events(self, since):
        """``[(company id, dealer id, rule, model, id, date)]`` of the tickets
        with a dealer changed since ``since`` (one search, one read)."""
        tickets = self.with_context(active_test=False).search(
            [
                ("dealer_id", "!=", False),
                ("write_date", ">=", since),
                "|",
                ("sla_state", "=", "met"),
                ("rating_last_value", ">=", 5),
            ]
        )
        today = fields.Date.context_today(self)
        events = []
        for ticket in tickets:
            closed = (ticket.close_date or ticket.write_date).date()
            for rule in ticket_rules(
                ticket.dealer_id.id, ticket.sla_state, ticket.rating_last_value
            ):
                # SLA met on the day it closed, a rating on the day it is booked
                day = closed if rule == "sla_met" else today
                events.append(
                    (
                        ticket.company_id.id,
                        ticket.dealer_id.id,
                        rule,
                        self._name,
                        ticket.id,
                        day,
                    )
                )
        return events

    @api.model
    def _dealer_points_kept(self, since):
        """``[(dealer id, rule, model, id)]`` of the tickets with a dealer
        changed since ``since`` that keep a rule they earned without fulfilling
        it now: reopened, their SLA still on track or at risk."""
        tickets = self.with_context(active_test=False).search_fetch(
            [
                ("dealer_id", "!=", False),
                ("write_date", ">=", since),
                ("sla_state", "in", ("on_track", "at_risk")),
            ],
            ["dealer_id", "sla_state"],
        )
        return [
            (ticket.dealer_id.id, rule, self._name, ticket.id)
            for ticket in tickets
            for rule in ticket_kept_rules(ticket.dealer_id.id, ticket.sla_state)
        ]
