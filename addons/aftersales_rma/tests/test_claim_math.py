from datetime import date

from odoo.tests import BaseCase

from ..tools import claim_math


class TestClaimMath(BaseCase):
    def test_window(self):
        repair = date(2026, 5, 6)
        self.assertEqual(claim_math.submission_deadline(repair, 30), date(2026, 6, 5))
        self.assertIsNone(claim_math.submission_deadline(repair, 0))
        self.assertIsNone(claim_math.submission_deadline(None, 30))
        self.assertFalse(claim_math.is_late(repair, date(2026, 6, 5), 30))
        self.assertTrue(claim_math.is_late(repair, date(2026, 6, 6), 30))
        self.assertFalse(claim_math.is_late(repair, date(2027, 1, 1), 0))

    def test_amounts(self):
        self.assertEqual(claim_math.labour_hours(2.0, 0.5), 2.5)
        self.assertEqual(claim_math.labour_hours(False, 1.0), 1.0)
        self.assertEqual(
            claim_math.line_amount("labour", 1, 999.0, 2.5, 60.0, 100.0), 150.0
        )
        self.assertEqual(claim_math.line_amount("parts", 2, 40.0, 0, 60.0, 0), 80.0)
        self.assertEqual(claim_math.line_amount("other", 1, 25.0, 0, 60.0, 10.0), 25.0)

    def test_caps(self):
        self.assertEqual(claim_math.capped(180.0, 100.0), 100.0)
        self.assertEqual(claim_math.capped(80.0, 100.0), 80.0)
        self.assertEqual(claim_math.capped(180.0, 0.0), 180.0)
        self.assertEqual(
            claim_math.line_amount("travel", 1, 180.0, 0, 60.0, 100.0), 100.0
        )
        self.assertEqual(claim_math.hours_above_flat(2.0, 3.5), 1.5)
        self.assertEqual(claim_math.hours_above_flat(2.0, 1.0), 0.0)
        self.assertEqual(claim_math.hours_above_flat(0.0, 3.0), 0.0)

    def test_adjudication_state(self):
        state = claim_math.adjudication_state
        self.assertEqual(state(["approved", "approved"]), "approved")
        self.assertEqual(state(["approved", "reduced"]), "partly_approved")
        self.assertEqual(state(["approved", "rejected"]), "partly_approved")
        self.assertEqual(state(["rejected", "rejected"]), "rejected")
        self.assertIsNone(state(["approved", "pending"]))
        self.assertIsNone(state([]))

    def test_age_bucket(self):
        self.assertEqual(claim_math.age_bucket(0), "0_7")
        self.assertEqual(claim_math.age_bucket(7), "0_7")
        self.assertEqual(claim_math.age_bucket(8), "8_30")
        self.assertEqual(claim_math.age_bucket(30), "8_30")
        self.assertEqual(claim_math.age_bucket(31), "31_60")
        self.assertEqual(claim_math.age_bucket(60), "31_60")
        self.assertEqual(claim_math.age_bucket(61), "over_60")
        self.assertEqual(claim_math.age_bucket(-3), "0_7")
        self.assertEqual(claim_math.age_bucket(None), "0_7")

    def test_waiting_on(self):
        self.assertEqual(claim_math.waiting_on("draft", "none", False), "dealer")
        self.assertEqual(claim_math.waiting_on("returned", "none", False), "dealer")
        self.assertEqual(claim_math.waiting_on("submitted", "none", False), "brand")
        self.assertEqual(claim_math.waiting_on("approved", "waiting", False), "parts")
        self.assertEqual(
            claim_math.waiting_on("partly_approved", "waiting", True), "finance"
        )
        self.assertEqual(
            claim_math.waiting_on("approved", "received", False), "finance"
        )
        self.assertIsNone(claim_math.waiting_on("paid", "none", False))
        self.assertIsNone(claim_math.waiting_on("rejected", "none", False))
