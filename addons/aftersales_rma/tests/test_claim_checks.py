from datetime import date

from odoo.tests import freeze_time, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestClaimChecks(ClaimCase):
    """Each check of a submitted claim, on a claim that is clean but for it."""

    def _checks(self, claim):
        return claim.finding_ids.mapped("check")

    def test_clean_claim_has_no_finding(self):
        claim = self._dealer_claim()
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.submit_date, date(2026, 5, 20))
        self.assertFalse(claim.finding_ids)
        self.assertFalse(claim.suspicious)

    def test_warranty_not_valid_on_failure_date(self):
        lot = self._lot("US200-CLM-NOREG")
        claim = self._dealer_claim(lot)
        claim.action_submit()
        self.assertEqual(self._checks(claim), ["warranty"])
        self.assertIn("no warranty registration", claim.finding_ids.message)
        # the registered serial, but failing before the warranty started
        early = self._dealer_claim(
            failure_date=date(2026, 1, 20), repair_date=date(2026, 5, 6)
        )
        early.action_submit()
        self.assertIn("warranty", self._checks(early))
        self.assertTrue(early.suspicious)
        self.assertEqual(
            self.env["aftersales.claim"].search(
                [("suspicious", "=", True), ("id", "in", (claim | early).ids)]
            ),
            claim | early,
        )

    def test_serial_not_sold_through_dealer(self):
        other_dealer = self.env["res.partner"].create(
            {
                "name": "Isar Medical Munich",
                "is_company": True,
                "aftersales_role": "dealer",
            }
        )
        claim = self._dealer_claim(dealer_id=other_dealer.id)
        claim.action_submit()
        self.assertEqual(self._checks(claim), ["seller"])
        self.assertIn(self.dealer_hh.name, claim.finding_ids.message)
        # the distributor of the selling dealer may claim
        other_lot = self._lot("US200-CLM-3")
        self._register(other_lot)
        upstream = self._dealer_claim(other_lot, dealer_id=self.distributor_eu.id)
        upstream.action_submit()
        self.assertFalse(upstream.finding_ids)

    def test_duplicate_same_serial_and_failure_date(self):
        first = self._dealer_claim()
        first.action_submit()
        second = self._dealer_claim(repair_date=date(2026, 5, 7))
        second.action_submit()
        self.assertIn("duplicate", self._checks(second))
        self.assertIn(first.name, second.finding_ids.mapped("message")[0])

    def test_duplicate_same_invoice_reference(self):
        first = self._dealer_claim(invoice_ref="INV-HH-77")
        first.action_submit()
        other_lot = self._lot("US200-CLM-2")
        self._register(other_lot)
        second = self._dealer_claim(other_lot, invoice_ref="INV-HH-77")
        second.action_submit()
        self.assertEqual(self._checks(second), ["duplicate"])
        self.assertIn("invoice", second.finding_ids.message)

    def test_repeat_repair_within_days(self):
        earlier = self._dealer_claim(
            failure_date=date(2026, 3, 1), repair_date=date(2026, 3, 3)
        )
        claim = self._dealer_claim()
        claim.action_submit()
        self.assertEqual(self._checks(claim), ["repeat"])
        self.assertIn(earlier.name, claim.finding_ids.message)
        # outside the window: no finding
        self.company.aftersales_claim_repeat_days = 30
        claim.action_return("retry")
        claim.action_submit()
        self.assertFalse(claim.finding_ids)

    def test_warranty_engine_suspicion(self):
        # the serial was sold to a German customer; the ticket is a Dubai one's
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Probe dead",
                "partner_id": self.customer_ae.id,
                "team_id": self.team_de.id,
                "lot_id": self.lot.id,
                "product_id": self.lot.product_id.id,
            }
        )
        self.assertTrue(ticket.warranty_suspicious)
        claim = self._dealer_claim(ticket_id=ticket.id)
        claim.action_submit()
        self.assertIn("suspicion", self._checks(claim))
        self.assertEqual(
            sorted(
                claim.finding_ids.filtered(lambda f: f.check == "suspicion").mapped(
                    "message"
                )
            ),
            sorted(ticket.warranty_suspicion.splitlines()),
        )

    def test_hours_above_flat_rate(self):
        claim = self._dealer_claim(
            lines=[
                {
                    "cost_type": "labour",
                    "extra_hours": 1.5,
                    "extra_reason": "Seized connector",
                }
            ]
        )
        self.assertEqual(claim.line_ids.hours, 3.5)
        self.assertEqual(claim.amount_claimed, 210.0)
        claim.action_submit()
        self.assertEqual(self._checks(claim), ["hours"])
        self.assertIn("Seized connector", claim.finding_ids.message)

    def test_submitted_after_window(self):
        claim = self._dealer_claim()
        with freeze_time("2026-06-10"):
            claim.action_submit()
        self.assertEqual(self._checks(claim), ["late"])
        self.assertIn("2026-06-05", claim.finding_ids.message)

    def test_only_the_later_claim_is_a_duplicate(self):
        first = self._dealer_claim()
        second = self._dealer_claim(repair_date=date(2026, 5, 7))
        (first | second).action_submit()
        self.assertFalse(first.finding_ids)
        self.assertEqual(self._checks(second), ["duplicate"])
