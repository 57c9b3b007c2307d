from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestGradeDispatch(AftersalesCase):
    """Least open assignment among engineers of dealers graded C and A and an
    internal engineer (created in this order: without grades the C dealer's
    engineer wins ties by the lowest id)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dealer_c, cls.dealer_a = Partner.create(
            [
                {"name": name, "is_company": True, "aftersales_role": "dealer"}
                for name in ("Dealer Graded C", "Dealer Graded A")
            ]
        )
        cls.env["aftersales.dealer.grade"].create(
            [
                {
                    "dealer_id": dealer.id,
                    "company_id": cls.company.id,
                    "period": date(2026, 4, 1),
                    "grade": grade,
                    "score": score,
                }
                for dealer, grade, score in (
                    (cls.dealer_c, "C", 50.0),
                    (cls.dealer_a, "A", 95.0),
                )
            ]
        )
        group_user = "aftersales_service.aftersales_group_user"
        cls.eng_c, cls.eng_a, cls.eng_own = (
            new_test_user(cls.env, login=login, groups=group_user, name=name)
            for login, name in (
                ("as_grade_eng_c", "Engineer of C"),
                ("as_grade_eng_a", "Engineer of A"),
                ("as_grade_eng_own", "Own Engineer"),
            )
        )
        cls.eng_c.partner_id.parent_id = cls.dealer_c
        cls.eng_a.partner_id.parent_id = cls.dealer_a
        cls.team = cls.env["aftersales.team"].create(
            {
                "name": "Dealer Field Service",
                "resource_calendar_id": cls.calendar_sh.id,
                "member_ids": [Command.set((cls.eng_c | cls.eng_a | cls.eng_own).ids)],
                "assignment_method": "least_open",
            }
        )

    def _new(self, count=1):
        return self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Pump alarm {i}",
                    "partner_id": self.customer_ae.id,
                    "team_id": self.team.id,
                }
                for i in range(count)
            ]
        )

    def test_setting_off_keeps_the_lowest_id(self):
        self.company.aftersales_dispatch_prefer_grade = False
        users = self._new(count=3).mapped("user_id")
        self.assertEqual(users, self.eng_c | self.eng_a | self.eng_own)
        self.assertEqual(self._new().user_id, self.eng_c)

    def test_setting_on_prefers_the_better_grade_among_equals(self):
        self.assertEqual(self.eng_a.partner_id.commercial_partner_id, self.dealer_a)
        self.company.aftersales_dispatch_prefer_grade = True
        tickets = self._new(count=3)
        # all equal (no open ticket): A first, then C, then ungraded; the load
        # still decides first
        self.assertEqual(
            [t.user_id for t in tickets], [self.eng_a, self.eng_c, self.eng_own]
        )
        self.assertEqual(self._new().user_id, self.eng_a)
        # a closed ticket makes the C engineer the least loaded: the load wins
        self.env["aftersales.ticket"].search(
            [("user_id", "=", self.eng_c.id)]
        ).stage_id = self.stage_closed
        self.assertEqual(self._new().user_id, self.eng_c)

    def test_grade_of_another_company_setting(self):
        other = self.env["res.company"].create({"name": "Other Brand Ltd"})
        other.aftersales_dispatch_prefer_grade = True
        self.company.aftersales_dispatch_prefer_grade = False
        members = self.eng_c | self.eng_a | self.eng_own
        members.write({"company_ids": [Command.link(other.id)]})
        other_team = self.env["aftersales.team"].create(
            {
                "name": "Other Brand Field Service",
                "company_id": other.id,
                "resource_calendar_id": other.resource_calendar_id.id,
                "member_ids": [Command.set(members.ids)],
                "assignment_method": "least_open",
            }
        )
        # one batch for both teams: each team's company decides
        Ticket = self.env["aftersales.ticket"]
        choices = Ticket._assignment_choose(
            [
                ("ours", self.team, Ticket.ticket_type_id, False, False),
                ("theirs", other_team, Ticket.ticket_type_id, False, False),
            ]
        )
        self.assertEqual(choices["ours"][0], self.eng_c)
        self.assertEqual(choices["theirs"][0], self.eng_a)

    def test_grade_ranks_read_in_batch(self):
        self.company.aftersales_dispatch_prefer_grade = True
        Ticket = self.env["aftersales.ticket"]
        members = self.team.member_ids
        self.env.invalidate_all()
        with self.assertQueryCount(4):  # whatever the number of engineers
            ranks = Ticket._assignment_grade_ranks(members)
        self.assertEqual(
            ranks, {self.eng_a.id: 1, self.eng_c.id: 3, self.eng_own.id: 4}
        )
