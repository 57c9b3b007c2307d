from datetime import datetime

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import AftersalesCase

# queries of one SLA cron run, whatever the number of tickets it escalates (the
# tickets' stages read once: a cancelled ticket's SLA is Cancelled)
QUERIES_SLA_CRON = 21


@tagged("post_install", "-at_install")
class TestSlaDeadlines(AftersalesCase):
    @freeze_time("2026-03-06 08:00:00")  # Friday 16:00 in Shanghai
    def test_deadlines_skip_weekend(self):
        ticket = self._ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        # 2 h on Friday, 3 h + 3 h on Monday
        self.assertEqual(ticket.response_deadline, datetime(2026, 3, 9, 8, 0))
        # 2 h Friday, 8 h Monday, 8 h Tuesday, 6 h Wednesday
        self.assertEqual(ticket.resolution_deadline, datetime(2026, 3, 11, 8, 0))
        self.assertEqual(ticket.sla_state, "on_track")
        self.assertFalse(ticket.sla_calendar_fallback)

    @freeze_time("2026-03-06 08:00:00")
    def test_deadlines_skip_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar_sh.id,
                "date_from": datetime(2026, 3, 8, 16, 0),  # Monday 00:00 in Shanghai
                "date_to": datetime(2026, 3, 9, 16, 0),
            }
        )
        ticket = self._ticket()
        self.assertEqual(ticket.response_deadline, datetime(2026, 3, 10, 8, 0))

    @freeze_time("2026-03-06 06:00:00")  # 14:00 in Shanghai, 07:00 in Hamburg
    def test_deadlines_in_each_team_timezone(self):
        ticket_sh = self._ticket()
        ticket_de = self._ticket(
            team_id=self.team_de.id, partner_id=self.customer_de.id
        )
        # Shanghai: 4 h on Friday afternoon, 4 h on Monday -> Monday 14:00 CST
        self.assertEqual(ticket_sh.response_deadline, datetime(2026, 3, 9, 6, 0))
        # Hamburg: the working day has not started, 8 h on Friday -> 17:00 CET
        self.assertEqual(ticket_de.response_deadline, datetime(2026, 3, 6, 16, 0))

    def test_pause_adds_hold_time_to_deadlines(self):
        with freeze_time("2026-03-06 08:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-09 02:00:00"):  # Monday 10:00 in Shanghai
            ticket.stage_id = self.stage_waiting
            self.assertEqual(ticket.sla_paused_since, datetime(2026, 3, 9, 2, 0))
        with freeze_time(
            "2026-03-09 09:00:00"
        ):  # past the original deadline, still paused
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_state, "on_track")
            self.assertEqual(ticket.sla_escalation_level, 0)
        with freeze_time(
            "2026-03-10 02:00:00"
        ):  # Tuesday 10:00: 2 + 5 + 1 h were on hold
            ticket.stage_id = self.stage_accepted
            self.assertFalse(ticket.sla_paused_since)
            self.assertAlmostEqual(ticket.sla_hold_hours, 8.0)
            # 8 + 8 working hours from Friday 16:00: Tuesday 16:00 in Shanghai
            self.assertEqual(ticket.response_deadline, datetime(2026, 3, 10, 8, 0))
            self.assertEqual(ticket.sla_state, "on_track")

    def test_reopen_continues_clock(self):
        with freeze_time("2026-03-06 08:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-06 09:00:00"):
            ticket.stage_id = self.stage_closed
            self.assertEqual(ticket.close_date, datetime(2026, 3, 6, 9, 0))
            self.assertEqual(ticket.sla_state, "met")
        with freeze_time("2026-03-09 03:00:00"):  # Monday 11:00: reopened
            ticket.stage_id = self.stage_accepted
            self.assertFalse(ticket.close_date)
            # closed from Friday 17:00 to Monday 11:00: 1 + 2 working hours on hold
            self.assertAlmostEqual(ticket.sla_hold_hours, 3.0)
            self.assertEqual(ticket.sla_state, "on_track")
            # the clock was not restarted: 8 h after Friday 16:00 plus 3 h on hold
            self.assertEqual(ticket.response_deadline, datetime(2026, 3, 10, 2, 0))

    def test_cancelled_ticket_is_neither_met_nor_failed(self):
        cancelled = self.env.ref("aftersales_service.stage_cancelled")
        self.assertTrue(cancelled.is_cancelled)
        with freeze_time("2026-03-06 08:00:00"):
            early = self._ticket()
            late = self._ticket()
        with freeze_time("2026-03-06 09:00:00"):
            early.stage_id = cancelled
            self.assertEqual(early.sla_state, "cancelled", "not met")
            self.assertTrue(early.close_date)
        with freeze_time("2026-03-12 08:00:00"):
            late.stage_id = cancelled
            self.assertEqual(late.sla_state, "cancelled", "not failed")
            # reopened: the clock goes on
            late.stage_id = self.stage_accepted
            self.assertEqual(late.sla_state, "breached")
        met = self.env["aftersales.ticket"].search_count(
            [("id", "in", (early | late).ids), ("sla_state", "=", "met")]
        )
        self.assertEqual(met, 0)

    def test_closing_after_deadline_fails(self):
        with freeze_time("2026-03-06 08:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-12 08:00:00"):
            ticket.stage_id = self.stage_resolved
            self.assertEqual(ticket.sla_state, "failed")


@tagged("post_install", "-at_install")
class TestSlaPolicyMatching(AftersalesCase):
    def test_most_specific_policy_wins(self):
        Policy = self.env["aftersales.sla.policy"]
        team = Policy.create({"name": "Team", "team_id": self.team_sh.id})
        team_type = Policy.create(
            {
                "name": "Team+type",
                "team_id": self.team_sh.id,
                "ticket_type_id": self.type_repair.id,
            }
        )
        Policy.create({"name": "Gold", "customer_tier": "gold"})
        Policy.create(
            {"name": "UAE", "country_ids": [Command.set(self.env.ref("base.ae").ids)]}
        )
        ticket = self._ticket(ticket_type_id=self.type_repair.id)
        self.assertEqual(ticket.sla_policy_id, team_type)
        three = Policy.create(
            {
                "name": "Team+type+UAE",
                "team_id": self.team_sh.id,
                "ticket_type_id": self.type_repair.id,
                "country_ids": [Command.set(self.env.ref("base.ae").ids)],
            }
        )
        self.assertEqual(
            self._ticket(ticket_type_id=self.type_repair.id).sla_policy_id, three
        )
        # a question ticket does not fit the repair policies
        self.assertEqual(
            self._ticket(ticket_type_id=self.type_question.id).sla_policy_id, team
        )

    def test_sequence_breaks_ties_and_inactive_ignored(self):
        Policy = self.env["aftersales.sla.policy"]
        Policy.create({"name": "Urgent B", "priority": "3", "sequence": 20})
        first = Policy.create({"name": "Urgent A", "priority": "3", "sequence": 5})
        Policy.create(
            {"name": "Urgent inactive", "priority": "3", "sequence": 1, "active": False}
        )
        ticket = self._ticket(priority="3")
        self.assertEqual(ticket.sla_policy_id, first)

    def test_type_default_policy_before_catch_all(self):
        default = self.env["aftersales.sla.policy"].create(
            {"name": "Type default", "priority": "0"}
        )
        self.type_question.sla_policy_id = default
        ticket = self._ticket(ticket_type_id=self.type_question.id)
        # the catch-all self.policy matches too, but the type's default wins over it
        self.assertEqual(ticket.sla_policy_id, default)
        self.assertTrue(ticket.response_deadline)
        # without a type the catch-all applies
        self.assertEqual(self._ticket().sla_policy_id, self.policy)

    def test_policy_follows_ticket_changes(self):
        urgent = self.env["aftersales.sla.policy"].create(
            {
                "name": "Urgent",
                "priority": "3",
                "response_hours": 1,
                "resolution_hours": 8,
            }
        )
        ticket = self._ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        ticket.priority = "3"
        self.assertEqual(ticket.sla_policy_id, urgent)

    def test_bad_policy_hours_rejected(self):
        Policy = self.env["aftersales.sla.policy"]
        with self.assertRaisesRegex(ValidationError, "more than zero"):
            Policy.create({"name": "Zero", "response_hours": 0, "resolution_hours": 8})
        with self.assertRaisesRegex(ValidationError, "more than zero"):
            Policy.create(
                {"name": "Negative", "response_hours": 4, "resolution_hours": -1}
            )
        with self.assertRaisesRegex(ValidationError, "shorter"):
            Policy.create(
                {"name": "Inverted", "response_hours": 10, "resolution_hours": 5}
            )
        with self.assertRaisesRegex(ValidationError, "warning"):
            Policy.create({"name": "Ratio", "warning_ratio": 120})

    def test_calendar_without_working_time_rejected(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Empty", "attendance_ids": [Command.clear()]}
        )
        with self.assertRaisesRegex(ValidationError, "no fixed working hours"):
            self.env["aftersales.team"].create(
                {"name": "Broken", "resource_calendar_id": empty.id}
            )
        with self.assertRaisesRegex(ValidationError, "must keep working hours"):
            self.calendar_sh.attendance_ids = [Command.clear()]

    def test_form_shows_policy_on_change(self):
        urgent = self.env["aftersales.sla.policy"].create(
            {"name": "Urgent", "priority": "3"}
        )
        with Form(self.env["aftersales.ticket"]) as form:
            form.subject = "Pump alarm"
            form.partner_id = self.customer_ng
            form.team_id = self.team_sh
            self.assertEqual(form.sla_policy_id, self.policy)
            self.assertEqual(form.country_id, self.env.ref("base.ng"))
            form.priority = "3"
            self.assertEqual(form.sla_policy_id, urgent)


@tagged("post_install", "-at_install")
class TestSlaCron(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.escalation_user_id = cls.manager

    def _activities(self, ticket):
        return self.env["mail.activity"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )

    def test_warning_then_breach_escalates_once_per_level(self):
        with freeze_time("2026-03-06 08:00:00"):
            ticket = self._ticket(user_id=self.agent.id)
        # the warning falls at 80 % of 8 h: Monday 14:24 in Shanghai
        self.assertEqual(ticket.sla_warning_date, datetime(2026, 3, 9, 6, 24))
        with freeze_time("2026-03-09 06:00:00"):
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_state, "on_track")
        with freeze_time("2026-03-09 07:00:00"):
            self.env["aftersales.ticket"]._cron_sla_check()
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_state, "at_risk")
            self.assertEqual(ticket.sla_escalation_level, 1)
            activities = self._activities(ticket)
            self.assertEqual(len(activities), 1)
            self.assertEqual(activities.user_id, self.agent)
        with freeze_time("2026-03-09 09:00:00"):
            self.env["aftersales.ticket"]._cron_sla_check()
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_state, "breached")
            self.assertEqual(ticket.sla_escalation_level, 2)
            activities = self._activities(ticket)
            self.assertEqual(len(activities), 2)
            self.assertIn(self.manager, activities.user_id)
            self.assertIn(self.manager.partner_id, ticket.message_partner_ids)
            notes = ticket.message_ids.filtered(lambda m: "SLA" in (m.body or ""))
            self.assertEqual(len(notes), 2)

    def test_ticket_created_breached_is_escalated(self):
        with freeze_time("2026-03-10 08:00:00"):
            # an external system sends a ticket opened a week ago
            ticket = self._ticket(sla_start_date=datetime(2026, 3, 3, 1, 0))
            self.assertEqual(ticket.sla_state, "breached")
            self.env["aftersales.ticket"]._cron_sla_check()
            # no answer and past the resolution deadline too: the top level
            self.assertEqual(ticket.sla_escalation_level, 4)
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(len(self._activities(ticket)), 1)

    def test_breached_ticket_without_team_is_escalated(self):
        self.policy.escalation_user_id = False
        with freeze_time("2026-03-10 08:00:00"):
            ticket = self._ticket(
                team_id=False, sla_start_date=datetime(2026, 3, 3, 1, 0)
            )
            self.assertFalse(ticket.team_id)
            self.assertEqual(ticket.sla_state, "breached")
            # the cron does not stop at a ticket with nobody to escalate to
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_escalation_level, 4)
            note = ticket.message_ids.filtered(lambda m: "SLA" in (m.body or ""))
            self.assertEqual(len(note), 1)
            self.assertIn("nobody", note.body)
            self.assertFalse(self._activities(ticket))

    def test_late_response_escalates_as_response_breach(self):
        with freeze_time("2026-03-06 08:00:00"):
            ticket = self._ticket()
        with freeze_time(
            "2026-03-10 01:00:00"
        ):  # response late, resolution not yet due
            ticket.with_user(self.agent).message_post(
                body="Sorry for the delay",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(ticket.sla_state, "breached")
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_escalation_level, 2)
        with freeze_time("2026-03-12 08:00:00"):  # now the resolution is late too
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_escalation_level, 4)

    def test_ticket_already_at_risk_is_escalated_for_it(self):
        with freeze_time("2026-03-06 08:00:00"):
            ticket = self._ticket(user_id=self.agent.id)
        # past the warning, before the deadline
        with freeze_time("2026-03-09 07:00:00"):
            # a change recomputes the state outside the cron
            ticket.priority = "2"
            ticket.invalidate_recordset(["sla_state"])
            self.env.add_to_compute(ticket._fields["sla_state"], ticket)
            self.assertEqual(ticket.sla_state, "at_risk")
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_escalation_level, 1)
            self.assertEqual(len(self._activities(ticket)), 1)
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(len(self._activities(ticket)), 1)

    def test_escalation_guard_against_overlapping_runs(self):
        with freeze_time("2026-03-06 08:00:00"):
            tickets = self._ticket() | self._ticket()
        with freeze_time("2026-03-10 08:00:00"):
            tickets.invalidate_recordset(["sla_state"])
            self.env.add_to_compute(tickets._fields["sla_state"], tickets)
            self.assertEqual(set(tickets.mapped("sla_state")), {"breached"})
            first = tickets._sla_escalate()
            # a second run working on the same records (as an overlapping cron
            # would) escalates nothing: the level is checked in SQL
            second = tickets._sla_escalate()
        self.assertEqual(first, tickets)
        self.assertFalse(second)
        self.assertEqual(len(self._activities(tickets[0])), 1)

    def test_first_response_by_service_user(self):
        with freeze_time("2026-03-06 08:00:00"):
            ticket = self._ticket(user_id=self.agent.id)
        with freeze_time("2026-03-06 09:00:00"):
            ticket.message_post(
                body="Internal note",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            self.assertFalse(ticket.first_response_date)
            ticket.with_user(self.agent).message_post(
                body="Please send a photo of the error",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(ticket.first_response_date, datetime(2026, 3, 6, 9, 0))
            # the resolution deadline now drives the warning
            self.assertEqual(
                ticket.sla_warning_date, ticket.sla_resolution_warning_date
            )

    def test_customer_message_is_not_a_response(self):
        ticket = self._ticket()
        ticket.message_post(
            body="Any news?",
            author_id=self.customer_ae.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(ticket.first_response_date)

    def test_cron_query_count_does_not_grow(self):
        """The SLA cron costs the same number of queries for 3 or 30 tickets."""

        def run(count, expected=None):
            with freeze_time("2026-03-06 08:00:00"):
                tickets = self.env["aftersales.ticket"].create(
                    [
                        {
                            "subject": f"T{i}",
                            "partner_id": self.customer_ae.id,
                            "team_id": self.team_sh.id,
                            "user_id": self.agent.id,
                        }
                        for i in range(count)
                    ]
                )
                self.env.flush_all()
                self.env.cr.flush()
            with freeze_time("2026-03-10 08:00:00"):
                self.env.invalidate_all()
                if expected is None:
                    self.env["aftersales.ticket"]._cron_sla_check()
                else:
                    with self.assertQueryCount(expected):
                        self.env["aftersales.ticket"]._cron_sla_check()
                self.assertEqual(set(tickets.mapped("sla_escalation_level")), {2})
            tickets.write({"stage_id": self.stage_closed.id})

        run(2)  # warm the caches
        run(3, expected=QUERIES_SLA_CRON)
        run(30, expected=QUERIES_SLA_CRON)
