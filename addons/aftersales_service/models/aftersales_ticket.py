import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.misc import clean_context

from ..const import CHANNELS, PRIORITIES, SLA_STATES, TIERS

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _description = "After-Sales Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
    ]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "subject", "lot_id.name", "external_ref"]
    _check_company_auto = True
    _primary_email = "email_from"

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="New", index="trigram"
    )
    subject = fields.Char(required=True, tracking=True, index="trigram")
    description = fields.Html()
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True
    )
    email_from = fields.Char(
        string="Customer Email",
        compute="_compute_email_from",
        store=True,
        readonly=False,
        precompute=True,
    )
    dealer_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_dealer_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The dealer or distributor who sold the product or files the ticket; "
        "taken from the serial's warranty registration.",
    )
    dealer_path = fields.Char(related="dealer_id.aftersales_path", store=True)
    distributor_id = fields.Many2one(
        "res.partner",
        string="Top Distributor",
        compute="_compute_distributor_id",
        store=True,
        index=True,
    )
    channel = fields.Selection(CHANNELS, default="phone", required=True, index=True)
    ticket_type_id = fields.Many2one(
        "aftersales.ticket.type", string="Type", index=True, tracking=True
    )
    priority = fields.Selection(
        PRIORITIES, default="1", required=True, index=True, tracking=True
    )
    team_id = fields.Many2one(
        "aftersales.team",
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self._default_team_id(),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    stage_id = fields.Many2one(
        "aftersales.stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_expand_stage_ids",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
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
        [
            ("in", "In Warranty"),
            ("out", "Not Covered"),
            ("expired", "Expired"),
            ("unknown", "Unknown Serial"),
            ("void", "Void"),
        ],
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
        [
            ("covered", "Covered"),
            ("partial", "Partly Covered"),
            ("chargeable", "Chargeable"),
        ],
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
    warranty_suspicious = fields.Boolean(
        string="Suspicious Claim",
        compute="_compute_warranty_suspicion",
        store=True,
        index=True,
    )
    warranty_suspicion = fields.Text(
        string="Suspicion Reasons", compute="_compute_warranty_suspicion", store=True
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_from_partner",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        compute="_compute_from_partner",
        store=True,
        readonly=False,
        precompute=True,
    )
    customer_tier = fields.Selection(
        TIERS,
        compute="_compute_from_partner",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    external_ref = fields.Char(
        string="External Reference",
        index="btree_not_null",
        copy=False,
        help="Reference of the ticket in the system that created it. Creating a "
        "ticket with a reference that already exists in the company returns the "
        "existing ticket instead of a duplicate.",
    )
    # SLA
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    sla_start_date = fields.Datetime(
        string="SLA Start", default=fields.Datetime.now, readonly=True, copy=False
    )
    sla_hold_hours = fields.Float(
        string="Hold Time (h)",
        readonly=True,
        copy=False,
        help=(
            "Working hours spent waiting for the customer or closed; added back to "
            "the deadlines."
        ),
    )
    sla_paused_since = fields.Datetime(
        readonly=True, copy=False, index="btree_not_null"
    )
    response_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, index=True, copy=False
    )
    resolution_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, index=True, copy=False
    )
    sla_response_warning_date = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, copy=False
    )
    sla_resolution_warning_date = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, copy=False
    )
    sla_calendar_fallback = fields.Boolean(
        compute="_compute_sla_deadlines",
        store=True,
        copy=False,
        help="The team's working hours could not plan the deadlines; they were "
        "computed on the continuous clock.",
    )
    sla_warning_date = fields.Datetime(
        compute="_compute_sla_state",
        store=True,
        index="btree_not_null",
        copy=False,
        help="When the ticket turns at risk if nothing happens.",
    )
    sla_state = fields.Selection(
        SLA_STATES,
        string="SLA Status",
        compute="_compute_sla_state",
        store=True,
        index=True,
        copy=False,
    )
    sla_escalation_level = fields.Integer(
        string="Escalation Level",
        default=0,
        readonly=True,
        copy=False,
        help="1/2: response at risk/breached, 3/4: resolution at risk/breached.",
    )
    first_response_date = fields.Datetime(readonly=True, copy=False)
    close_date = fields.Datetime(readonly=True, copy=False, index=True)
    is_stale = fields.Boolean(readonly=True, copy=False, index=True)
    stale_notified_date = fields.Datetime(readonly=True, copy=False)
    # indexed by a partial index (WHERE ack_pending), see init()
    ack_pending = fields.Boolean(
        string="Acknowledgement Pending",
        readonly=True,
        copy=False,
        help="The customer's acknowledgement email of this new ticket waits in the "
        "queue; the cron After-Sales: send ticket acknowledgements sends it right "
        "after the ticket is saved.",
    )

    _sql_constraints = [
        (
            "external_ref_uniq",
            "unique(external_ref, company_id)",
            "Another ticket of this company already has this external reference.",
        ),
    ]

    def init(self):
        res = super().init()
        # "everything under this distributor": a prefix search on the dealer path
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_dealer_path_prefix_index",
            self._table,
            ["dealer_path varchar_pattern_ops"],
            where="dealer_path IS NOT NULL",
        )
        # the acknowledgement queue: only the few pending tickets are indexed
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_ack_pending_index",
            self._table,
            ["id"],
            where="ack_pending",
        )
        return res

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_team_id(self):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return team_id
        return self.env.user.aftersales_team_ids.filtered(
            lambda team: team.company_id == self.env.company
        )[:1].id

    @api.depends("partner_id")
    def _compute_email_from(self):
        for ticket in self:
            if ticket.partner_id.email:
                ticket.email_from = ticket.partner_id.email

    @api.depends("partner_id")
    def _compute_from_partner(self):
        for ticket in self:
            partner = ticket.partner_id
            if not partner:
                continue
            ticket.country_id = (
                partner.country_id or partner.commercial_partner_id.country_id
            )
            ticket.lang = partner.lang
            ticket.customer_tier = (
                partner.commercial_partner_id.aftersales_tier or "standard"
            )

    # a registration made (or voided) after the ticket changes the ticket's warranty
    @api.depends("lot_id", "lot_id.aftersales_warranty_ids.state")
    def _compute_warranty_id(self):
        lots = self.lot_id
        warranties = (
            self.env["aftersales.warranty"]
            .sudo()
            .search([("lot_id", "in", lots.ids)], order="id desc")
            if lots
            else self.env["aftersales.warranty"]
        )
        best = {}
        for warranty in warranties:
            current = best.get(warranty.lot_id)
            if not current or (
                warranty.state in ("draft", "active")
                and current.state not in ("draft", "active")
            ):
                best[warranty.lot_id] = warranty
        for ticket in self:
            ticket.warranty_id = best.get(ticket.lot_id, False)

    @api.depends(
        "lot_id", "warranty_id.state", "warranty_id.date_start", "warranty_id.date_end"
    )
    def _compute_warranty_state(self):
        for ticket in self:
            if not ticket.lot_id:
                ticket.warranty_state = False
            elif not ticket.warranty_id:
                ticket.warranty_state = "unknown"
            else:
                on_date = (ticket.create_date or fields.Datetime.now()).date()
                ticket.warranty_state = ticket.warranty_id._status_on(on_date)

    @api.depends("warranty_id")
    def _compute_dealer_id(self):
        for ticket in self:
            if ticket.warranty_id.dealer_id and not ticket.dealer_id:
                ticket.dealer_id = ticket.warranty_id.dealer_id

    @api.depends("dealer_id.aftersales_path")
    def _compute_distributor_id(self):
        for ticket in self:
            ticket.distributor_id = ticket.dealer_id._aftersales_top_distributor()

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
        """``(decision, reason)`` the warranty engine suggests for this ticket."""
        self.ensure_one()
        state = self.warranty_state
        if not state:
            return False, False
        labels = dict(self._fields["warranty_state"]._description_selection(self.env))
        if state != "in":
            return "chargeable", self.env._(
                "Warranty status: %(state)s", state=labels[state]
            )
        warranty = self.warranty_id
        if (
            warranty.parts_coverage >= 100
            and warranty.labour_coverage >= 100
            and not warranty.deductible_amount
        ):
            return "covered", self.env._(
                "In warranty until %(end)s, parts and labour covered.",
                end=warranty.date_end,
            )
        return "partial", self.env._(
            "In warranty until %(end)s: parts %(parts)s %%, labour %(labour)s %%, "
            "deductible %(deductible)s %(currency)s.",
            end=warranty.date_end,
            parts=warranty.parts_coverage,
            labour=warranty.labour_coverage,
            deductible=warranty.deductible_amount,
            currency=warranty.currency_id.name or "",
        )

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
        for ticket in tickets:
            window = timedelta(days=ticket.company_id.aftersales_repeat_claim_days)
            moment = ticket.create_date or fields.Datetime.now()
            for other in by_lot[ticket.lot_id]:
                # only the later claim is suspicious, not the first one
                if (
                    other.create_date
                    and other.id < ticket._origin.id
                    and timedelta(0) <= moment - other.create_date <= window
                ):
                    result[ticket] = other.name
                    break
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

    @api.depends("team_id")
    def _compute_stage_id(self):
        stages = self.env["aftersales.stage"].search([])
        for ticket in self:
            if ticket.stage_id and (
                not ticket.stage_id.team_ids
                or ticket.team_id in ticket.stage_id.team_ids
            ):
                continue
            ticket.stage_id = next(
                (s for s in stages if not s.team_ids or ticket.team_id in s.team_ids),
                False,
            )

    @api.depends(
        "team_id",
        "ticket_type_id",
        "priority",
        "customer_tier",
        "country_id",
        "company_id",
    )
    def _compute_sla_policy_id(self):
        best = self.env["aftersales.sla.policy"]._find_for_tickets(self)
        for ticket in self:
            ticket.sla_policy_id = best[ticket]

    @api.depends(
        "sla_policy_id.response_hours",
        "sla_policy_id.resolution_hours",
        "sla_policy_id.warning_ratio",
        "sla_start_date",
        "sla_hold_hours",
        "team_id.resource_calendar_id",
        "company_id.resource_calendar_id",
    )
    def _compute_sla_deadlines(self):
        """Deadlines in working hours of the team's calendar, planned in one batch
        per calendar: the query count does not depend on the number of tickets."""
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.response_deadline = ticket.resolution_deadline = False
            ticket.sla_response_warning_date = ticket.sla_resolution_warning_date = (
                False
            )
            ticket.sla_calendar_fallback = False
            policy = ticket.sla_policy_id
            if not policy:
                continue
            calendar = (
                ticket.team_id.resource_calendar_id
                or ticket.company_id.resource_calendar_id
            )
            by_calendar[calendar].append(ticket)
        for calendar, tickets in by_calendar.items():
            requests = []
            for ticket in tickets:
                policy = ticket.sla_policy_id
                start = ticket.sla_start_date or fields.Datetime.now()
                hold = ticket.sla_hold_hours
                ratio = policy.warning_ratio / 100.0
                requests += [
                    (start, policy.response_hours + hold),
                    (start, policy.resolution_hours + hold),
                    (start, policy.response_hours * ratio + hold),
                    (start, policy.resolution_hours * ratio + hold),
                ]
            if calendar and calendar._aftersales_has_working_time():
                planned = calendar._aftersales_plan_hours_batch(requests)
            else:
                planned = [False] * len(requests)
            for index, ticket in enumerate(tickets):
                values = planned[index * 4 : index * 4 + 4]
                if not all(values):
                    # never leave a ticket without deadlines: use the continuous clock
                    _logger.warning(
                        "Ticket %s: calendar %s cannot plan its SLA, "
                        "using the continuous clock",
                        ticket.id,
                        calendar.id,
                    )
                    values = [
                        start + timedelta(hours=hours)
                        for start, hours in requests[index * 4 : index * 4 + 4]
                    ]
                    ticket.sla_calendar_fallback = True
                (
                    ticket.response_deadline,
                    ticket.resolution_deadline,
                    ticket.sla_response_warning_date,
                    ticket.sla_resolution_warning_date,
                ) = values

    @api.depends(
        "response_deadline",
        "resolution_deadline",
        "first_response_date",
        "close_date",
        "sla_paused_since",
    )
    def _compute_sla_state(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.sla_warning_date, ticket.sla_state = ticket._sla_evaluate(now)

    def _sla_evaluate(self, now):
        """``(warning date, state)`` of the ticket's SLA at ``now``."""
        self.ensure_one()
        if not self.sla_policy_id or not self.resolution_deadline:
            return False, False
        responded = self.first_response_date or self.close_date
        response_late = responded and responded > self.response_deadline
        if self.close_date:
            late = response_late or self.close_date > self.resolution_deadline
            return False, "failed" if late else "met"
        if response_late:
            return self.response_deadline, "breached"
        if responded:
            deadline, warning = (
                self.resolution_deadline,
                self.sla_resolution_warning_date,
            )
        else:
            deadline, warning = self.response_deadline, self.sla_response_warning_date
        moment = self.sla_paused_since or now
        if response_late or moment >= deadline:
            return deadline, "breached"
        if moment >= warning:
            # the cron looks again at once (to escalate) and at the deadline
            return warning, "at_risk"
        return warning, "on_track"

    def _sla_escalation_target(self, now):
        """Escalation level the ticket's SLA status calls for: 1/3 at risk before
        the response/resolution, 2 breached response, 4 breached resolution."""
        self.ensure_one()
        moment = self.sla_paused_since or now
        if self.sla_state == "breached":
            if self.resolution_deadline and moment >= self.resolution_deadline:
                return 4
            return 2
        if self.sla_state == "at_risk":
            return 3 if self.first_response_date else 1
        return 0

    @api.model
    def _read_group_expand_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        search_domain = [("fold", "=", False)]
        if team_id:
            search_domain = [
                "&",
                "|",
                ("team_ids", "=", False),
                ("team_ids", "in", team_id),
            ] + search_domain
        return stages | stages.search(search_domain)

    def _compute_access_url(self):
        # the portal page of a ticket (aftersales_portal serves it)
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Create tickets. A value list whose ``external_ref`` already exists in
        its company does not create anything: the existing ticket is returned in
        its place (idempotent creation for external systems)."""
        existing = self._existing_by_external_ref(vals_list)
        to_create, batch_keys = [], set()
        for vals in vals_list:
            key = self._external_key(vals)
            if key in existing or key in batch_keys:
                continue  # returned as the existing (or first) ticket below
            if key:
                batch_keys.add(key)
            to_create.append(vals)
        self._assign_sequence_numbers(to_create)
        self._set_default_stages(to_create)
        for vals in to_create:
            if not vals.get("user_id"):
                vals.pop("user_id", None)
        if to_create:
            # followers and stage emails of the whole batch at once, see
            # _message_auto_subscribe_batch() and _post_creation_templates()
            created = (
                super(AftersalesTicket, self.with_context(aftersales_batch_create=True))
                .create(to_create)
                .with_env(self.env)
            )
            created._message_auto_subscribe_batch(to_create)
            created._defer_creation_templates()
        else:
            created = self.browse()
        created._assign_auto()
        created_iter = iter(created)
        seen = {}
        result_ids = []
        for vals in vals_list:
            key = self._external_key(vals)
            if key in existing:
                result_ids.append(existing[key])
            elif key and key in seen:
                result_ids.append(seen[key])
            else:
                ticket = next(created_iter)
                if key:
                    seen[key] = ticket.id
                result_ids.append(ticket.id)
        return self.browse(result_ids)

    def write(self, vals):
        if "stage_id" in vals:
            return self._write_stage(vals)
        result = super().write(vals)
        if vals.get("team_id") and "user_id" not in vals:
            self.filtered(lambda t: not t.user_id)._assign_auto()
        return result

    def _write_stage(self, vals):
        """Stage changes drive the SLA clock: entering a paused or closed stage
        stops it, leaving one adds the working time spent there to the hold."""
        # a ticket leaving its first stage before the queue acknowledged it: the
        # customer gets the acknowledgement first, then the new stage's email
        waiting = self.filtered("ack_pending")
        if waiting:
            waiting._claim_acknowledgements()._post_acknowledgements()
        now = fields.Datetime.now()
        new_stage = self.env["aftersales.stage"].browse(vals["stage_id"])
        stopped_before = {ticket: ticket._sla_is_stopped() for ticket in self}
        was_closed = {ticket: ticket.stage_id.is_closed for ticket in self}
        stops = new_stage.pause_sla or new_stage.is_closed
        resuming = self.filtered(
            lambda t: stopped_before[t] and not stops and t.sla_paused_since
        )
        hold = resuming._sla_hold_hours_until(now)
        vals = dict(vals, is_stale=False)
        result = super().write(vals)
        for ticket in self:
            extra = {}
            if stops and not stopped_before[ticket]:
                extra["sla_paused_since"] = now
            if new_stage.is_closed and not was_closed[ticket]:
                extra["close_date"] = now
            if not new_stage.is_closed and was_closed[ticket]:
                extra["close_date"] = False
            if ticket in resuming:
                extra["sla_paused_since"] = False
                extra["sla_hold_hours"] = ticket.sla_hold_hours + hold[ticket]
            if extra:
                super(AftersalesTicket, ticket).write(extra)
        if vals.get("team_id") and "user_id" not in vals:
            self.filtered(lambda t: not t.user_id)._assign_auto()
        return result

    def _sla_is_stopped(self):
        self.ensure_one()
        return bool(self.stage_id.pause_sla or self.stage_id.is_closed)

    def _sla_hold_hours_until(self, now):
        """Working hours each ticket has been stopped, batched per calendar."""
        result = {}
        by_calendar = defaultdict(list)
        for ticket in self:
            by_calendar[
                ticket.team_id.resource_calendar_id
                or ticket.company_id.resource_calendar_id
            ].append(ticket)
        for calendar, tickets in by_calendar.items():
            periods = [(ticket.sla_paused_since, now) for ticket in tickets]
            if calendar and calendar._aftersales_has_working_time():
                hours = calendar._aftersales_work_hours_batch(periods)
            else:
                hours = [(end - start).total_seconds() / 3600 for start, end in periods]
            result.update(zip(tickets, hours, strict=True))
        return result

    @api.model
    def _external_key(self, vals):
        ref = vals.get("external_ref")
        if not ref:
            return False
        company_id = (
            vals.get("company_id")
            or self.env.context.get("default_company_id")
            or self.env.company.id
        )
        return (ref, company_id)

    @api.model
    def _existing_by_external_ref(self, vals_list):
        keys = {key for key in map(self._external_key, vals_list) if key}
        if not keys:
            return {}
        # sudo: the reference must be unique even among tickets this user cannot read
        found = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("external_ref", "in", [ref for ref, _company in keys])],
                ["external_ref", "company_id"],
            )
        )
        return {
            (ticket.external_ref, ticket.company_id.id): ticket.id
            for ticket in found
            if (ticket.external_ref, ticket.company_id.id) in keys
        }

    @api.model
    def _set_default_stages(self, vals_list):
        """Put the first stage of the team in the values: Odoo sends a stage's
        email template on creation only when ``stage_id`` is among the values."""
        missing = [vals for vals in vals_list if not vals.get("stage_id")]
        if not missing:
            return
        stages = self.env["aftersales.stage"].search([])
        default_team = self._default_team_id()
        for vals in missing:
            team_id = vals.get("team_id", default_team)
            stage = next(
                (s for s in stages if not s.team_ids or team_id in s.team_ids.ids), None
            )
            if stage:
                vals["stage_id"] = stage.id

    @api.model
    def _assign_sequence_numbers(self, vals_list):
        """One ``nextval`` round trip for the whole batch instead of one per ticket."""
        if self.env["ir.sequence"]._aftersales_number_vals(
            "aftersales.ticket", vals_list
        ):
            raise ValidationError(self.env._("The ticket sequence is missing."))

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------

    def _assign_auto(self):
        """Give unassigned tickets of automatic teams to a fitting member.

        Round robin takes the next fitting member after the last one served;
        least open takes the fitting member with the fewest open tickets (one
        grouped query per batch). The rule and the choice are logged in the chatter.
        """
        tickets = self.filtered(
            lambda t: (
                not t.user_id
                and t.team_id.assignment_method in ("round_robin", "least_open")
            )
        )
        if not tickets:
            return
        open_counts = {}
        least_open_teams = tickets.team_id.filtered(
            lambda team: team.assignment_method == "least_open"
        )
        if least_open_teams:
            open_counts = {
                user.id: count
                for user, count in self.sudo()._read_group(
                    [
                        ("is_closed", "=", False),
                        ("user_id", "in", least_open_teams.member_ids.ids),
                    ],
                    ["user_id"],
                    ["__count"],
                )
            }
        by_user = defaultdict(lambda: self.browse())
        bodies = {}
        for team in tickets.team_id:
            members = team.member_ids.filtered("active").sorted("id")
            last = team.last_assigned_user_id
            for ticket in tickets.filtered(lambda t, team=team: t.team_id == team):
                fitting = members.filtered(
                    lambda user, ticket=ticket: user._aftersales_fits(ticket)
                )
                if not fitting:
                    bodies[ticket.id] = self.env._(
                        "No member of team %(team)s fits this ticket (country, "
                        "language, skills): it stays unassigned.",
                        team=team.name,
                    )
                    continue
                if team.assignment_method == "round_robin":
                    after = fitting.filtered(lambda user, last=last: user.id > last.id)
                    user = after[:1] or fitting[:1]
                    rule = self.env._("round robin")
                    last = user
                else:
                    user = min(fitting, key=lambda u: (open_counts.get(u.id, 0), u.id))
                    open_counts[user.id] = open_counts.get(user.id, 0) + 1
                    rule = self.env._("least open tickets")
                by_user[user] |= ticket
                bodies[ticket.id] = self.env._(
                    "Assigned to %(user)s by %(rule)s among the members of %(team)s "
                    "fitting the ticket's country, language and skills.",
                    user=user.name,
                    rule=rule,
                    team=team.name,
                )
            if (
                team.assignment_method == "round_robin"
                and last != team.last_assigned_user_id
            ):
                team.sudo().last_assigned_user_id = last
        for user, user_tickets in by_user.items():
            # one digest per engineer for the batch instead of one email per ticket
            user_tickets.with_context(mail_auto_subscribe_no_notify=True).write(
                {"user_id": user.id}
            )
            user_tickets._notify_assignment_digest(user)
        if bodies:
            self.browse(bodies)._message_log_batch(
                bodies={
                    ticket_id: Markup("<p>%s</p>") % body
                    for ticket_id, body in bodies.items()
                }
            )

    def _notify_assignment_digest(self, user):
        """Tell an engineer, in one message, which tickets were assigned to them."""
        if not self or user == self.env.user or not user.partner_id:
            return
        items = Markup("").join(
            Markup(
                "<li><a href='/odoo/action-aftersales_service."
                "aftersales_ticket_action/%s'>%s</a>: %s</li>"
            )
            % (ticket.id, ticket.name, ticket.subject)
            for ticket in self
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("These tickets were assigned to you:"),
            items,
        )
        self[0].message_notify(
            partner_ids=user.partner_id.ids,
            body=body,
            subject=self.env._("%(count)s ticket(s) assigned to you", count=len(self)),
            email_layout_xmlid="mail.mail_notification_light",
        )

    # ------------------------------------------------------------------
    # Mail gateway, chatter, rating
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from")
        partner = self.env["res.partner"]
        if email_from:
            partner = self._mail_find_partner_from_emails(
                [email_from], force_create=True
            )[0]
        values.setdefault(
            "subject", msg_dict.get("subject") or self.env._("(no subject)")
        )
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("channel", "email")
        # mail.thread puts the subject in the _rec_name ("name") when it is empty:
        # keep the placeholder so that create() gives the ticket its sequence number
        values.setdefault("name", "New")
        if partner:
            values.setdefault("partner_id", partner.id)
            # a customer created just now was unknown when the gateway parsed the
            # email: make them the author, so the email is theirs and they follow
            # the ticket (the gateway posts the message with this dict)
            if not msg_dict.get("author_id"):
                msg_dict["author_id"] = partner.id
        values.setdefault("email_from", email_from)
        return super().message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        if self.env.context.get("aftersales_status_update"):
            return result
        values = {}
        if self.is_stale:
            values["is_stale"] = False
        if (
            not self.first_response_date
            and message.message_type == "comment"
            and not message.subtype_id.internal
            and message.author_id
            and any(user._is_internal() for user in message.author_id.user_ids)
        ):
            values["first_response_date"] = message.date or fields.Datetime.now()
        if values:
            self.sudo().write(values)
        return result

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("aftersales_batch_create"):
            return True  # create() calls _message_auto_subscribe_batch instead
        return super()._message_auto_subscribe(
            updated_values, followers_existing_policy=followers_existing_policy
        )

    def _message_auto_subscribe_batch(self, vals_list):
        """What mail.thread's ``create`` does per ticket, once per group of
        tickets: subscribe the responsible user and the followers of the team (its
        "ticket" subtypes). The tickets of a batch that share these values share
        one call; mail.thread reads only the relation fields of the subtypes and
        ``user_id`` from the values."""
        if self.env.context.get("tracking_disable"):
            return
        relation = self.env["mail.message.subtype"]._get_auto_subscription_subtypes(
            self._name
        )[4]
        fnames = {"user_id"} | {fname for names in relation.values() for fname in names}
        defaults = {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_")
        }
        groups = defaultdict(list)
        for ticket, vals in zip(self, vals_list, strict=True):
            values = {**defaults, **vals}
            key = tuple(sorted((f, values[f]) for f in fnames if f in values))
            groups[key].append(ticket.id)
        for key, ticket_ids in groups.items():
            self.browse(ticket_ids)._message_auto_subscribe(
                dict(key), followers_existing_policy="update"
            )

    def _defer_creation_templates(self):
        """mail.thread schedules the stage email of each new ticket as its own
        precommit call (one composer, rendering and flush per ticket). Take these
        over: by default the tickets are marked ``ack_pending`` and the
        acknowledgement cron sends their emails right after the commit (see
        _cron_send_acknowledgements()); for a company that sends acknowledgements
        right away, one precommit call for the batch, see _post_creation_templates().
        """
        data = self.env.cr.precommit.data
        changes = {}
        for ticket in self:
            key = f"mail.tracking.create.{self._name}.{ticket.id}"
            if key in data:
                changes[ticket.id] = data.pop(key)
        if not changes:
            return
        tickets = self.browse(list(changes))
        now = {}  # {ticket id: changes} posted in this transaction's precommit
        queued_ids = []
        for ticket in tickets:
            if ticket.company_id.aftersales_ack_immediate:
                now[ticket.id] = changes[ticket.id]
                continue
            templates = ticket._track_template(changes[ticket.id])
            if templates.get("stage_id", (False,))[0]:
                queued_ids.append(ticket.id)  # the creation stage's email: the ack
            # another field's email (none in this addon) is not queued
            if any(
                template
                for fname, (template, _kw) in templates.items()
                if fname != "stage_id"
            ):
                now[ticket.id] = [f for f in changes[ticket.id] if f != "stage_id"]
        if queued_ids:
            queued = self.browse(queued_ids)
            # written with the tickets (already inserted): the mark commits, or rolls
            # back, with them; no write() (tracking, followers) for an internal flag
            self.env.cr.execute(
                "UPDATE aftersales_ticket SET ack_pending = true WHERE id = ANY(%s)",
                [queued.ids],
            )
            queued.invalidate_recordset(["ack_pending"])
            self._trigger_acknowledgements()
        if now:
            # one precommit call per environment (user, context) that created tickets
            pending = data.setdefault(self._creation_templates_key(), {})
            pending.update(now)
            self.env.cr.precommit.add(self.browse()._post_creation_templates)

    def _trigger_acknowledgements(self):
        """Run the acknowledgement cron right after the commit, once per
        transaction however many creations it has."""
        data = self.env.cr.precommit.data
        key = f"aftersales.ack.trigger.{self._name}"
        if data.get(key):
            return
        data[key] = True

        def trigger():
            data.pop(key, None)
            cron = self.env.ref(
                "aftersales_service.ir_cron_aftersales_send_acknowledgements",
                raise_if_not_found=False,
            )
            if cron:
                cron.sudo()._trigger()

        self.env.cr.precommit.add(trigger)

    def _creation_templates_key(self):
        env = self.env
        return (
            f"aftersales.creation.templates.{self._name}",
            env.uid,
            env.su,
            repr(sorted(env.context.items())),
        )

    def _post_creation_templates(self):
        """Post the stage emails of the tickets created in this transaction that
        are not queued: those of companies that send acknowledgements right away."""
        pending = self.env.cr.precommit.data.pop(self._creation_templates_key(), {})
        tickets = self.browse(list(pending)).exists()
        if not tickets:
            return
        # as mail.thread's _message_track_post_template: no residual default_*
        tickets = tickets.with_context(clean_context(self.env.context))
        tickets._post_stage_templates(pending)
        self.env.flush_all()

    def _post_stage_templates(self, changes):
        """Post the stage emails of new tickets (``changes``: ``{ticket id: changed
        fields}``): one mail composer per template in comment mode over all its
        tickets, which renders subject and body per customer language in one go and
        then posts one message per ticket (one email to its customer)."""
        tickets = self._fallback_lang()
        groups = defaultdict(list)
        for ticket in tickets:
            templates = ticket._track_template(changes[ticket.id])
            for template, post_kwargs in templates.values():
                if template:
                    groups[template, repr(sorted(post_kwargs.items()))].append(
                        (ticket, post_kwargs)
                    )
        for (template, _key), items in groups.items():
            group = tickets.browse([ticket.id for ticket, _kwargs in items])
            post_kwargs = dict(items[0][1])
            post_kwargs.pop("composition_mode", None)
            post_kwargs.setdefault("message_type", "auto_comment")
            group._post_template_batch(template, **post_kwargs)

    @api.model
    def _cron_send_acknowledgements(self, batch_size=200):
        """Send the acknowledgement emails of new tickets, a batch per run.

        The batch is taken off the queue in SQL (``UPDATE ... SET ack_pending =
        false ... FOR UPDATE SKIP LOCKED RETURNING id``) before posting: two
        overlapping runs never acknowledge the same ticket twice, and a run that
        fails leaves its tickets in the queue (its transaction rolls back).
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE aftersales_ticket
               SET ack_pending = false
             WHERE id IN (SELECT id
                            FROM aftersales_ticket
                           WHERE ack_pending
                        ORDER BY id
                           LIMIT %s
                             FOR UPDATE SKIP LOCKED)
         RETURNING id
            """,
            [batch_size],
        )
        tickets = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        tickets.invalidate_recordset(["ack_pending"])
        try:
            with self.env.cr.savepoint():
                tickets._post_acknowledgements()
        except Exception:  # noqa: BLE001 - one bad ticket must not block the queue
            tickets._post_acknowledgements_one_by_one()
        remaining = 0
        if len(tickets) == batch_size:
            self.env.cr.execute(
                "SELECT count(*) FROM aftersales_ticket WHERE ack_pending"
            )
            remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(tickets), remaining=remaining)
        return tickets

    def _post_acknowledgements_one_by_one(self):
        """Post each acknowledgement on its own, after a batch failed: the others
        still go out; a ticket whose email cannot be made leaves the queue with a
        note on its chatter instead of blocking every later run."""
        for ticket in self:
            try:
                with self.env.cr.savepoint():
                    ticket._post_acknowledgements()
            except Exception as error:  # noqa: BLE001 - logged on the ticket
                _logger.warning(
                    "Acknowledgement of ticket %s not sent: %s", ticket.name, error
                )
                ticket.sudo()._message_log(
                    body=self.env._(
                        "The acknowledgement email could not be sent: %s", str(error)
                    )
                )

    def _claim_acknowledgements(self):
        """Take these tickets off the acknowledgement queue; return those that were
        in it (and are now this transaction's to acknowledge)."""
        self.flush_recordset(["ack_pending"])
        self.env.cr.execute(
            """
            UPDATE aftersales_ticket
               SET ack_pending = false
             WHERE id = ANY(%s) AND ack_pending
         RETURNING id
            """,
            [self.ids],
        )
        claimed = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        self.invalidate_recordset(["ack_pending"])
        return claimed

    def _post_acknowledgements(self):
        """Post the acknowledgement (the creation stage's email) of tickets taken
        off the queue, as their creator, batched per creator and company."""
        groups = defaultdict(list)
        for ticket in self.sudo():
            groups[ticket.create_uid, ticket.company_id].append(ticket.id)
        context = clean_context(self.env.context)
        for (creator, company), ticket_ids in groups.items():
            tickets = self.with_context(context)
            if creator:
                tickets = tickets.with_user(creator)
            tickets = tickets.sudo().with_company(company).browse(ticket_ids)
            tickets._post_stage_templates({tid: ["stage_id"] for tid in ticket_ids})
        self.env.flush_all()

    def _post_template_batch(self, template, subtype_id=False, **kwargs):
        """``message_post_with_source(template)`` for many tickets with a single
        comment-mode composer (mail.thread makes one composer per record)."""
        if not subtype_id:
            subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        if len(self) == 1:
            return self.message_post_with_source(
                template, subtype_id=subtype_id, **kwargs
            )
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create({"subtype_id": subtype_id, **kwargs})
        )
        return composer._action_send_mail()[1]

    def _track_template(self, changes):
        result = super()._track_template(changes)
        ticket = self[0]
        if "stage_id" in changes and ticket.stage_id.template_id and ticket.partner_id:
            result["stage_id"] = (
                ticket.stage_id.template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return result

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("aftersales_service.mt_ticket_stage")
        return super()._track_subtype(init_values)

    def _rating_get_parent_field_name(self):
        return "team_id"

    def _notify_get_reply_to(self, default=None):
        """Replies to ticket emails go to the team's alias when it has one; the
        mail gateway then threads them into the same ticket."""
        result = super()._notify_get_reply_to(default=default)
        for ticket in self.sudo():
            alias = ticket.team_id.alias_id
            if alias.alias_name and alias.alias_domain_id:
                result[ticket.id] = ticket._notify_get_reply_to_formatted_email(
                    alias.alias_full_name,
                    ticket.display_name,
                    company=ticket.company_id,
                )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_assign_to_me(self):
        self.write({"user_id": self.env.user.id})

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_sla_check(self, batch_size=500):
        """Flag at-risk and breached tickets and escalate them, a batch per run.

        Escalation is guarded in SQL (``UPDATE ... WHERE level < target``), so two
        overlapping runs never escalate the same ticket to the same level twice.
        """
        now = fields.Datetime.now()
        domain = [
            ("is_closed", "=", False),
            ("sla_paused_since", "=", False),
            ("sla_warning_date", "<=", now),
            "|",
            "|",
            "|",
            ("sla_state", "=", "on_track"),
            # at risk, not yet escalated for it
            "&",
            ("sla_state", "=", "at_risk"),
            "|",
            ("sla_escalation_level", "<", 1),
            "&",
            ("first_response_date", "!=", False),
            ("sla_escalation_level", "<", 3),
            # at risk, and the deadline has passed since
            "&",
            ("sla_state", "=", "at_risk"),
            "|",
            "&",
            ("first_response_date", "=", False),
            ("response_deadline", "<=", now),
            ("resolution_deadline", "<=", now),
            # breached, not yet escalated for it
            "&",
            ("sla_state", "=", "breached"),
            "|",
            ("sla_escalation_level", "<", 2),
            "&",
            ("sla_escalation_level", "<", 4),
            ("resolution_deadline", "<=", now),
        ]
        tickets = self.search(domain, limit=batch_size, order="sla_warning_date, id")
        self.env.add_to_compute(self._fields["sla_state"], tickets)
        self.env.add_to_compute(self._fields["sla_warning_date"], tickets)
        tickets.flush_recordset(["sla_state", "sla_warning_date"])
        tickets._sla_escalate()
        remaining = self.search_count(domain) if len(tickets) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(tickets), remaining=remaining)
        return tickets

    def _sla_escalate(self):
        """Raise the escalation level of at-risk/breached tickets, then post a note
        and an activity for each ticket whose level really moved."""
        by_level = defaultdict(list)
        now = fields.Datetime.now()
        for ticket in self:
            level = ticket._sla_escalation_target(now)
            if level:
                by_level[level].append(ticket.id)
        escalated = {}
        for level, ticket_ids in by_level.items():
            self.env.cr.execute(
                """
                UPDATE aftersales_ticket
                   SET sla_escalation_level = %s
                 WHERE id = ANY(%s) AND COALESCE(sla_escalation_level, 0) < %s
             RETURNING id
                """,
                [level, ticket_ids, level],
            )
            for (ticket_id,) in self.env.cr.fetchall():
                escalated[ticket_id] = level
        if not escalated:
            return self.browse()
        tickets = self.browse(list(escalated))
        tickets.invalidate_recordset(["sla_escalation_level"])
        messages = {
            1: self.env._(
                "SLA at risk: the first response is due by %(deadline)s (UTC)."
            ),
            2: self.env._(
                "SLA breached: no response by %(deadline)s (UTC). "
                "Escalated to %(user)s."
            ),
            3: self.env._("SLA at risk: the resolution is due by %(deadline)s (UTC)."),
            4: self.env._(
                "SLA breached: not resolved by %(deadline)s (UTC). "
                "Escalated to %(user)s."
            ),
        }
        bodies = {}
        activities = []
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        followers = defaultdict(list)
        for ticket in tickets:
            level = escalated[ticket.id]
            breached = level in (2, 4)
            target = (
                ticket.sla_policy_id.escalation_user_id
                or ticket.team_id._escalation_user()
                if breached
                else ticket.user_id or ticket.team_id.user_id
            )
            deadline = (
                ticket.response_deadline if level <= 2 else ticket.resolution_deadline
            )
            bodies[ticket.id] = (
                Markup("<p>%s</p>")
                % messages[level]
                % {
                    "deadline": fields.Datetime.to_string(deadline),
                    "user": target.name
                    or self.env._("nobody (no escalation target set)"),
                }
            )
            if target:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "activity_type_id": activity_type.id,
                        "user_id": target.id,
                        "date_deadline": fields.Date.context_today(self),
                        "summary": self.env._(
                            "SLA breached: %(ticket)s", ticket=ticket.name
                        )
                        if breached
                        else self.env._("SLA at risk: %(ticket)s", ticket=ticket.name),
                    }
                )
                if breached:
                    followers[target.partner_id.id].append(ticket.id)
        tickets._message_log_batch(bodies=bodies)
        if activities:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(activities)
        for partner_id, ticket_ids in followers.items():
            self.env["mail.followers"]._insert_followers(
                self._name, ticket_ids, [partner_id]
            )
        return tickets

    @api.model
    def _cron_stale_check(self, batch_size=200):
        """Flag open tickets without message or open activity for the company's
        stale delay and send their customer a status update."""
        now = fields.Datetime.now()
        processed = self.browse()
        self.env.flush_all()  # the query below reads messages and activities in SQL
        for company in self.env["res.company"].search([]):
            cutoff = now - timedelta(days=company.aftersales_stale_days)
            self.env.cr.execute(
                """
                SELECT t.id
                  FROM aftersales_ticket t
                  JOIN aftersales_stage s ON s.id = t.stage_id
                 WHERE t.company_id = %(company)s
                   AND t.active
                   AND s.is_closed IS NOT TRUE
                   AND COALESCE(t.sla_start_date, t.create_date) < %(cutoff)s
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_message m
                         WHERE m.model = 'aftersales.ticket' AND m.res_id = t.id
                           AND m.date >= %(cutoff)s)
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_activity a
                         WHERE a.res_model = 'aftersales.ticket' AND a.res_id = t.id
                           AND a.active)  -- done activities are kept archived
              ORDER BY t.id
                 LIMIT %(limit)s
                """,
                {"company": company.id, "cutoff": cutoff, "limit": batch_size},
            )
            processed |= self.browse([row[0] for row in self.env.cr.fetchall()])
        if not processed:
            return processed
        processed.write({"is_stale": True, "stale_notified_date": now})
        template = self.env.ref("aftersales_service.mail_template_ticket_status_update")
        for ticket in processed.filtered("partner_id"):
            ticket.with_context(aftersales_status_update=True).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        self.env["ir.cron"]._notify_progress(done=len(processed), remaining=0)
        return processed
