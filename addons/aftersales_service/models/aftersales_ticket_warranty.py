import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import WARRANTY_DECISIONS, WARRANTY_STATUSES

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    """Warranty of a ticket: the registration of its serial, its status, the
    decision and the suspicious-claim checks."""

    _inherit = "aftersales.ticket"

    warranty_id = fields.Many2one(
        "aftersales.warranty",
        compute="_compute_warranty_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    warranty_state = fields.Selection(
        WARRANTY_STATUSES,
        compute="_compute_warranty_state",
        store=True,
        index=True,
        precompute=True,
    )
    warranty_end = fields.Date(related="warranty_id.date_end", string="Warranty Until")
    warranty_parts_coverage = fields.Float(
        related="warranty_id.parts_coverage", string="Parts (%)"
    )
    warranty_labour_coverage = fields.Float(
        related="warranty_id.labour_coverage", string="Labour (%)"
    )
    warranty_travel_coverage = fields.Float(
        related="warranty_id.travel_coverage", string="Travel (%)"
    )
    warranty_currency_id = fields.Many2one(related="warranty_id.currency_id")
    warranty_deductible = fields.Monetary(
        related="warranty_id.deductible_amount",
        currency_field="warranty_currency_id",
        string="Deductible",
    )
    warranty_decision = fields.Selection(
        WARRANTY_DECISIONS,
        compute="_compute_warranty_decision",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
    )
    warranty_decision_reason = fields.Char(
        compute="_compute_warranty_decision",
        store=True,
        readonly=False,
        precompute=True,
    )
    warranty_override_note = fields.Text(
        string="Override Note",
        tracking=True,
        help=(
            "Why the warranty decision differs from the one the warranty engine "
            "suggests."
        ),
    )
    # computed before the insert, as the warranty itself: no UPDATE of the new
    # ticket after it
    warranty_suspicious = fields.Boolean(
        string="Suspicious Claim",
        compute="_compute_warranty_suspicion",
        store=True,
        precompute=True,
        index=True,
    )
    warranty_suspicion = fields.Text(
        string="Suspicion Reasons",
        compute="_compute_warranty_suspicion",
        store=True,
        precompute=True,
    )

    # a registration made (or voided) after the ticket changes the ticket's warranty
    @api.depends("lot_id", "lot_id.aftersales_warranty_ids.state")
    def _compute_warranty_id(self):
        counting = self.env["aftersales.warranty"]._counting_for_lots(self.lot_id)
        for ticket in self:
            ticket.warranty_id = counting.get(ticket.lot_id.id, False)

    @api.depends(
        "lot_id", "warranty_id.state", "warranty_id.date_start", "warranty_id.date_end"
    )
    def _compute_warranty_state(self):
        for ticket in self:
            if not ticket.lot_id:
                ticket.warranty_state = False
            else:
                # the status on the day the claim was made
                on_date = (ticket.create_date or fields.Datetime.now()).date()
                ticket.warranty_state = ticket.warranty_id._status_on(on_date)

    @api.depends(
        "warranty_state",
        "warranty_id.parts_coverage",
        "warranty_id.labour_coverage",
        "warranty_id.deductible_amount",
    )
    def _compute_warranty_decision(self):
        for ticket in self:
            ticket.warranty_decision, ticket.warranty_decision_reason = (
                ticket._warranty_suggestion()
            )

    def _warranty_suggestion(self):
        """``(decision, reason)`` the warranty engine suggests for this ticket
        (``aftersales.warranty._decision_for``)."""
        self.ensure_one()
        if not self.warranty_state:
            return False, False
        return self.warranty_id._decision_for(self.warranty_state)

    @api.depends(
        "lot_id",
        "warranty_id",
        "warranty_state",
        "partner_id",
        "country_id",
        "warranty_id.partner_id",
        "warranty_id.country_id",
        "warranty_id.registration_date",
    )
    def _compute_warranty_suspicion(self):
        repeat = self._warranty_repeat_claims()
        for ticket in self:
            reasons = []
            warranty = ticket.warranty_id
            if ticket.lot_id and not warranty:
                reasons.append(
                    self.env._("The serial number has no warranty registration.")
                )
            if warranty:
                owner = warranty.partner_id.commercial_partner_id
                if (
                    ticket.partner_id
                    and owner
                    and owner != ticket.partner_id.commercial_partner_id
                ):
                    reasons.append(
                        self.env._(
                            "The serial was sold to %(owner)s, not to this customer.",
                            owner=owner.display_name,
                        )
                    )
                if (
                    ticket.country_id
                    and warranty.country_id
                    and ticket.country_id != warranty.country_id
                ):
                    reasons.append(
                        self.env._(
                            "The serial was sold into %(country)s, not into the "
                            "customer's country.",
                            country=warranty.country_id.name,
                        )
                    )
                if ticket.warranty_state == "expired":
                    reasons.append(
                        self.env._("The claim comes after the warranty expired.")
                    )
                reported = (ticket.create_date or fields.Datetime.now()).date()
                if warranty.registration_date and warranty.registration_date > reported:
                    reasons.append(
                        self.env._(
                            "The warranty was registered after the fault was reported."
                        )
                    )
            if ticket in repeat:
                reasons.append(
                    self.env._(
                        "Another claim on this serial was made within %(days)s "
                        "days: %(ticket)s.",
                        days=ticket.company_id.aftersales_repeat_claim_days,
                        ticket=repeat[ticket],
                    )
                )
            ticket.warranty_suspicious = bool(reasons)
            ticket.warranty_suspicion = "\n".join(reasons) or False

    def _warranty_repeat_claims(self):
        """``{ticket: other ticket's name}`` for tickets having another claim on the
        same serial within the company's repeat-claim window (one query)."""
        tickets = self.filtered(
            lambda t: t.lot_id and t.company_id.aftersales_repeat_claim_days
        )
        if not tickets:
            return {}
        others = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("lot_id", "in", tickets.lot_id.ids)],
                ["lot_id", "create_date", "name"],
            )
        )
        by_lot = defaultdict(list)
        for other in others:
            by_lot[other.lot_id].append(other)
        result = {}
        # tickets computed before their insert (new records) come after every
        # stored claim, and after the new tickets before them in the batch
        earlier_new = defaultdict(list)
        for ticket in tickets:
            window = timedelta(days=ticket.company_id.aftersales_repeat_claim_days)
            moment = ticket.create_date or fields.Datetime.now()
            new = not ticket._origin
            for other in by_lot[ticket.lot_id] + earlier_new[ticket.lot_id]:
                # only the later claim is suspicious, not the first one
                if (
                    other.create_date
                    and (new or other.id < ticket._origin.id)
                    and timedelta(0) <= moment - other.create_date <= window
                ):
                    result[ticket] = other.name
                    break
            if new:
                earlier_new[ticket.lot_id].append(ticket)
        return result

    @api.constrains("warranty_decision", "warranty_override_note")
    def _check_warranty_override(self):
        for ticket in self:
            suggested = ticket._warranty_suggestion()[0]
            if (
                ticket.warranty_decision
                and suggested
                and ticket.warranty_decision != suggested
                and not (ticket.warranty_override_note or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the warranty engine suggests "
                        "%(suggested)s; write an override note to decide otherwise.",
                        ticket=ticket.name,
                        suggested=dict(
                            self._fields["warranty_decision"]._description_selection(
                                self.env
                            )
                        )[suggested],
                    )
                )
