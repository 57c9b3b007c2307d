from datetime import datetime

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestRegistryCaches(AftersalesCase):
    """What a ticket's creation reads from caches kept per registry (the SLA
    policies and their countries, the calendar's state, the ticket sequence) is
    seen changed by the very next ticket after each change."""

    def test_policy_country_group_change_reaches_next_ticket(self):
        group = self.env["res.country.group"].create({"name": "Gulf"})
        gulf = self.env["aftersales.sla.policy"].create(
            {
                "name": "Gulf",
                "country_group_ids": [Command.set(group.ids)],
                "response_hours": 2,
                "resolution_hours": 8,
            }
        )
        partner = self.customer_ae
        self.assertEqual(self._ticket(partner_id=partner.id).sla_policy_id, self.policy)
        # the cache is warm: the group gains the customer's country
        group.country_ids = [Command.link(partner.country_id.id)]
        self.assertEqual(self._ticket(partner_id=partner.id).sla_policy_id, gulf)
        # and from the country's side
        partner.country_id.country_group_ids = [Command.unlink(group.id)]
        self.assertEqual(self._ticket(partner_id=partner.id).sla_policy_id, self.policy)
        partner.country_id.country_group_ids = [Command.link(group.id)]
        self.assertEqual(self._ticket(partner_id=partner.id).sla_policy_id, gulf)
        # a change of the policy itself
        gulf.active = False
        self.assertEqual(self._ticket(partner_id=partner.id).sla_policy_id, self.policy)

    @freeze_time("2026-03-06 08:00:00")  # Friday 16:00 in Shanghai
    def test_holiday_and_hours_change_reach_next_ticket(self):
        self.assertEqual(self._ticket().response_deadline, datetime(2026, 3, 9, 8, 0))
        # a public holiday of every calendar on Monday
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": False,
                "date_from": datetime(2026, 3, 8, 16, 0),
                "date_to": datetime(2026, 3, 9, 16, 0),
            }
        )
        self.assertEqual(self._ticket().response_deadline, datetime(2026, 3, 10, 8, 0))
        # the calendar's Friday afternoon is no longer worked
        friday = self.calendar_sh.attendance_ids.filtered(
            lambda a: a.dayofweek == "4" and a.hour_to > 16
        )
        self.assertTrue(friday)
        friday.hour_to = 16
        # nothing left on Friday: 3 h + 5 h on Tuesday -> 18:00 in Shanghai
        self.assertEqual(self._ticket().response_deadline, datetime(2026, 3, 10, 10, 0))

    def test_sequence_change_reaches_next_ticket(self):
        self._ticket()
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "aftersales.ticket")], limit=1
        )
        sequence.write({"prefix": "CASE-", "padding": 7})
        ticket = self._ticket()
        self.assertRegex(ticket.name, r"^CASE-\d{7}$")

    def test_stage_flags_change_reaches_next_ticket(self):
        """A ticket's closed flag and its SLA status read the stages' flags from
        a cache: a stage changed to closing, then to cancelling, counts at once,
        for the tickets in it and for the next ticket."""
        stage = self.env["aftersales.stage"].create(
            {"name": "Withdrawn", "sequence": 99}
        )
        before = self._ticket(stage_id=stage.id)
        self.assertFalse(before.is_closed)
        self.assertEqual(before.sla_state, "on_track")
        stage.is_closed = True
        self.assertTrue(before.is_closed)
        self.assertTrue(self._ticket(stage_id=stage.id).is_closed)
        stage.is_cancelled = True
        self.assertEqual(self._ticket(stage_id=stage.id).sla_state, "cancelled")
        stage.write({"is_closed": False, "is_cancelled": False})
        after = self._ticket(stage_id=stage.id)
        self.assertFalse(after.is_closed)
        self.assertEqual(after.sla_state, "on_track")

    def test_type_default_policy_change_reaches_next_ticket(self):
        """The ticket type's default SLA policy is kept per registry: a new
        default, the default archived or removed count for the very next
        ticket."""
        Policy = self.env["aftersales.sla.policy"]
        first = Policy.create({"name": "Question A", "priority": "0"})
        second = Policy.create({"name": "Question B", "priority": "0"})
        self.type_question.sla_policy_id = first

        def policy():
            return self._ticket(ticket_type_id=self.type_question.id).sla_policy_id

        self.assertEqual(policy(), first)
        self.type_question.sla_policy_id = second
        self.assertEqual(policy(), second)
        second.active = False
        # the catch-all, once the type's default is archived
        self.assertEqual(policy(), self.policy)
        second.active = True
        self.assertEqual(policy(), second)
        self.type_question.sla_policy_id = False
        self.assertEqual(policy(), self.policy)

    @freeze_time("2026-03-02 01:00:00")  # Monday 09:00 in Shanghai
    def test_policy_hours_change_reaches_tickets(self):
        """The policies' hours are kept per registry: changed hours plan the
        very next ticket, and re-plan the open tickets of the policy."""
        self.policy.write(
            {"response_hours": 2, "resolution_hours": 8, "warning_ratio": 50}
        )
        before = self._ticket()
        self.assertEqual(before.sla_policy_id, self.policy)
        self.assertEqual(before.response_deadline, datetime(2026, 3, 2, 3, 0))
        self.assertEqual(before.sla_response_warning_date, datetime(2026, 3, 2, 2, 0))
        self.policy.write({"response_hours": 4, "warning_ratio": 75})
        after = self._ticket()
        # 4 working hours: 09:00-12:00 and 13:00-14:00 in Shanghai
        self.assertEqual(after.response_deadline, datetime(2026, 3, 2, 6, 0))
        self.assertEqual(after.sla_response_warning_date, datetime(2026, 3, 2, 4, 0))
        # the ticket created before is re-planned with the new hours
        self.assertEqual(before.response_deadline, datetime(2026, 3, 2, 6, 0))
