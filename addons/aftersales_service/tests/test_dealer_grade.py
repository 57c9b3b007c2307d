from datetime import date

from odoo.tests import BaseCase, freeze_time, tagged

from ..tools.dealer_grade import grade_of, grade_score
from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestDealerGradeTool(BaseCase):
    def test_score_and_grade(self):
        self.assertAlmostEqual(grade_score(1.0, 5.0, 1.0, 1.0), 100.0)
        self.assertAlmostEqual(grade_score(0.5, 3.0, 0.5, 0.0), 45.0)
        # without ratings nor registrations: SLA and first-time fix only
        self.assertAlmostEqual(
            grade_score(0.9, None, 0.6), (0.4 * 0.9 + 0.2 * 0.6) / 0.6 * 100
        )
        self.assertIsNone(grade_score())
        self.assertEqual(grade_of(90), "A")
        self.assertEqual(grade_of(85), "A")
        self.assertEqual(grade_of(75), "B")
        self.assertEqual(grade_of(69.9), "C")
        self.assertEqual(grade_of(80, threshold_a=80, threshold_b=60), "A")
        self.assertIsNone(grade_of(None))


@tagged("post_install", "-at_install")
class TestDealerGrade(WarrantyCase):
    """The monthly cron grades each dealer from its scorecard and keeps the
    history; the partner shows the latest grade."""

    def test_monthly_grades_and_history(self):
        closed = self.env.ref("aftersales_service.stage_closed")
        good = self.dealer_hh
        poor = self.env["res.partner"].create(
            {"name": "Late Dealer", "aftersales_role": "dealer", "is_company": True}
        )
        Ticket = self.env["aftersales.ticket"]
        with freeze_time("2026-04-06 08:00:00"):
            tickets = Ticket.create(
                [
                    {
                        "subject": f"T{i}",
                        "partner_id": self.customer_de.id,
                        "dealer_id": dealer.id,
                    }
                    for i, dealer in enumerate([good, good, poor, poor])
                ]
            )
        with freeze_time("2026-04-06 09:00:00"):
            tickets[:2].stage_id = closed  # in time: met
        with freeze_time("2026-04-28 09:00:00"):
            tickets[2:].stage_id = closed  # weeks later: failed
        for ticket, rate in zip(tickets, (5, 5, 2, 1), strict=True):
            ticket.rating_apply(rate, token=ticket._rating_get_access_token())
        self.env.flush_all()
        # create_date is the database's clock, not the frozen one
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET create_date = '2026-04-06 08:00:00' "
            "WHERE id IN %s",
            [tuple(tickets.ids)],
        )
        Grade = self.env["aftersales.dealer.grade"]
        Grade._cron_grade_dealers(today=date(2026, 5, 3))
        good_grade = Grade.search([("dealer_id", "=", good.id)])
        poor_grade = Grade.search([("dealer_id", "=", poor.id)])
        self.assertEqual(good_grade.period, date(2026, 4, 1))
        self.assertEqual(good_grade.grade, "A")
        self.assertEqual(poor_grade.grade, "C")
        self.assertEqual(good.aftersales_grade, "A")
        self.assertEqual(poor.aftersales_grade, "C")
        self.assertGreater(good.aftersales_grade_score, poor.aftersales_grade_score)
        # run again for the same month: updated, not duplicated
        Grade._cron_grade_dealers(today=date(2026, 5, 20))
        self.assertEqual(Grade.search_count([("dealer_id", "=", good.id)]), 1)
        # thresholds are settings
        self.company.aftersales_grade_a_threshold = 101
        Grade._cron_grade_dealers(today=date(2026, 5, 20))
        self.assertEqual(good.aftersales_grade, "B")
