from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
class TestClaimLines(ClaimCase):
    """Amounts of claim lines from the rate table."""

    def test_labour_travel_and_rates(self):
        dealer_rate = self.env["aftersales.labour.rate"].create(
            {
                "rate_type": "hourly",
                "dealer_id": self.dealer_hh.id,
                "hourly_rate": 75.0,
                "travel_cap": 50.0,
                "currency_id": self.eur.id,
            }
        )
        self.env["aftersales.labour.rate"].create(
            {
                "rate_type": "flat_time",
                "product_id": self.product_us200.id,
                "hours": 1.5,
            }
        )
        claim = self._dealer_claim(
            lines=[
                {"cost_type": "labour"},
                {"cost_type": "travel", "quantity": 1, "price_unit": 80.0},
                {"cost_type": "other", "quantity": 2, "price_unit": 10.0},
            ]
        )
        labour, travel, other = claim.line_ids
        # the product's flat rate wins over the category's, the dealer's rate
        # over the country's
        self.assertEqual(labour.flat_hours, 1.5)
        self.assertEqual(labour.hourly_rate, dealer_rate.hourly_rate)
        self.assertEqual(labour.amount_claimed, 112.5)
        self.assertEqual(travel.amount_claimed, 50.0)
        self.assertEqual(other.amount_claimed, 20.0)
        self.assertEqual(claim.amount_claimed, 182.5)
        self.assertEqual(claim.currency_id, self.eur)

    def test_ticket_type_flat_rate(self):
        self.rate_flat.active = False
        self.env["aftersales.labour.rate"].create(
            {
                "rate_type": "flat_time",
                "ticket_type_id": self.type_repair.id,
                "hours": 3.0,
            }
        )
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Probe",
                "partner_id": self.customer_de.id,
                "ticket_type_id": self.type_repair.id,
            }
        )
        claim = self._dealer_claim(ticket_id=ticket.id, lines=[{"cost_type": "labour"}])
        self.assertEqual(claim.line_ids.flat_hours, 3.0)
        self.assertEqual(claim.amount_claimed, 180.0)

    def test_extra_hours_need_a_reason(self):
        with self.assertRaises(ValidationError):
            self._dealer_claim(
                lines=[{"cost_type": "labour", "extra_hours": 1.0}],
                failure_date=date(2026, 5, 4),
            )
