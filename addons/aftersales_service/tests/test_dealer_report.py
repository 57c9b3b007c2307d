from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestDealerReport(WarrantyCase):
    """The dealer scorecard: tickets, SLA and CSAT of the dealer's tickets and
    its registrations on time, per dealer, read as the pivot reads them."""

    def _scores(self, dealer, *aggregates):
        Report = self.env["aftersales.dealer.report"]
        self.env.flush_all()
        [row] = Report._read_group([("dealer_id", "=", dealer.id)], [], aggregates)
        return row

    def test_dealer_scorecard(self):
        closed = self.env.ref("aftersales_service.stage_closed")
        Ticket = self.env["aftersales.ticket"]
        tickets = Ticket.create(
            [
                {
                    "subject": f"Dealer call {i}",
                    "partner_id": self.customer_de.id,
                    "dealer_id": self.dealer_hh.id,
                }
                for i in range(3)
            ]
        )
        self.assertEqual(tickets.dealer_id, self.dealer_hh)
        tickets[:2].stage_id = closed
        tickets[0].rating_apply(5, token=tickets[0]._rating_get_access_token())
        on_time = self._register(self._lot("DR-1"))
        late = self._register(
            self._lot("DR-2"),
            delivery_date=date(2025, 1, 10),
            registration_date=date(2026, 2, 2),
        )
        # the rule of both asks for registration within 30 days of delivery
        self.assertEqual(late.policy_id, on_time.policy_id)
        late.policy_id.write({"registration_window_days": 30, "fallback_months": 12})
        self.assertFalse(on_time.late_registration)
        self.assertTrue(late.late_registration)
        count, attained, csat, registrations, on_time_rate = self._scores(
            self.dealer_hh,
            "ticket_count:sum",
            "sla_attained:avg",
            "rating:avg",
            "registration_count:sum",
            "registration_on_time:avg",
        )
        self.assertEqual(count, 3)
        self.assertEqual(attained, 1.0, "the two closed tickets met their SLA")
        self.assertEqual(csat, 5.0)
        self.assertEqual(registrations, 2)
        self.assertAlmostEqual(on_time_rate, 0.5)
        # another dealer's figures are its own
        other = self.env["res.partner"].create(
            {"name": "Other Dealer", "aftersales_role": "dealer", "is_company": True}
        )
        self.assertFalse(
            self.env["aftersales.dealer.report"].search_count(
                [("dealer_id", "=", other.id)]
            )
        )

    def test_only_managers_read_scorecards(self):
        Report = self.env["aftersales.dealer.report"]
        Report.with_user(self.manager).search_count([])
        with self.assertRaises(AccessError):
            Report.with_user(self.agent).search_count([])
