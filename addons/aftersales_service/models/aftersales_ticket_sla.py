import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from ..const import SLA_STATES

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    """SLA of a ticket: policy, deadlines in working hours, the clock paused
    by stages, escalation."""

    _inherit = "aftersales.ticket"

    # SLA: the policy, the deadlines and the status are computed before the
    # ticket's insert (no UPDATE of the new ticket after it)
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
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        index=True,
        copy=False,
    )
    resolution_deadline = fields.Datetime(
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        index=True,
        copy=False,
    )
    sla_response_warning_date = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, precompute=True, copy=False
    )
    sla_resolution_warning_date = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, precompute=True, copy=False
    )
    sla_calendar_fallback = fields.Boolean(
        compute="_compute_sla_deadlines",
        store=True,
        precompute=True,
        copy=False,
        help="The team's working hours could not plan the deadlines; they were "
        "computed on the continuous clock.",
    )
    sla_warning_date = fields.Datetime(
        compute="_compute_sla_state",
        store=True,
        precompute=True,
        index="btree_not_null",
        copy=False,
        help="When the ticket turns at risk if nothing happens.",
    )
    sla_state = fields.Selection(
        SLA_STATES,
        string="SLA Status",
        compute="_compute_sla_state",
        store=True,
        precompute=True,
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
    first_response_date = fields.Datetime(readonly=True, copy=False, index=True)
    close_date = fields.Datetime(readonly=True, copy=False, index=True)

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
        Policy = self.env["aftersales.sla.policy"]
        for calendar, tickets in by_calendar.items():
            requests = []
            for ticket in tickets:
                # the policy's hours kept per registry: no read of the policy
                response, resolution, ratio = Policy._sla_hours(ticket.sla_policy_id.id)
                start = ticket.sla_start_date or fields.Datetime.now()
                hold = ticket.sla_hold_hours
                ratio /= 100.0
                requests += [
                    (start, response + hold),
                    (start, resolution + hold),
                    (start, response * ratio + hold),
                    (start, resolution * ratio + hold),
                ]
            can_plan, version = calendar._aftersales_state() if calendar else (0, 0)
            if can_plan:
                planned = calendar._aftersales_plan_hours_batch(requests, version)
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
        "stage_id.is_cancelled",
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
        # the stage's flag from the cached stages (no read of the stage)
        flags = self.env["aftersales.stage"]._aftersales_stage_flags()
        if flags.get(self.stage_id.id, (False, False))[1]:
            return False, "cancelled"
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

    def write(self, vals):
        """Stage changes drive the SLA clock: entering a paused or closed stage
        stops it, leaving one adds the working time spent there to the hold."""
        if "stage_id" not in vals:
            return super().write(vals)
        now = fields.Datetime.now()
        new_stage = self.env["aftersales.stage"].browse(vals["stage_id"])
        stopped_before = {ticket: ticket._sla_is_stopped() for ticket in self}
        was_closed = {ticket: ticket.stage_id.is_closed for ticket in self}
        stops = new_stage.pause_sla or new_stage.is_closed
        resuming = self.filtered(
            lambda t: stopped_before[t] and not stops and t.sla_paused_since
        )
        hold = resuming._sla_hold_hours_until(now)
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
        return result

    def _sla_is_stopped(self):
        self.ensure_one()
        return bool(self.stage_id.pause_sla or self.stage_id.is_closed)

    def _sla_hold_hours_until(self, now):
        """Working hours each ticket has been stopped, batched per calendar."""
        hours = self._working_hours_between(
            [(ticket, (ticket.sla_paused_since, now)) for ticket in self]
        )
        return dict(zip(self, hours, strict=True))

    def _working_hours_between(self, items):
        """Working hours of each ``(ticket, (start, end))`` of ``items`` in the
        ticket's calendar (its team's, else its company's; the continuous clock
        for a calendar without working time), in the order of ``items``, reading
        each calendar once."""
        result = [0.0] * len(items)
        by_calendar = defaultdict(list)
        for index, (ticket, period) in enumerate(items):
            calendar = (
                ticket.team_id.resource_calendar_id
                or ticket.company_id.resource_calendar_id
            )
            by_calendar[calendar].append((index, period))
        for calendar, entries in by_calendar.items():
            periods = [period for _index, period in entries]
            can_plan, version = calendar._aftersales_state() if calendar else (0, 0)
            if can_plan:
                hours = calendar._aftersales_work_hours_batch(periods, version)
            else:
                hours = [(end - start).total_seconds() / 3600 for start, end in periods]
            for (index, _period), value in zip(entries, hours, strict=True):
                result[index] = value
        return result

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
