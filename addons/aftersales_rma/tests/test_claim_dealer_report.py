from datetime import date

from odoo.tests import freeze_time, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
class TestClaimDealerReport(ClaimCase):
    """The dealers' claims in their scorecards: submitted, rejected, suspicious;
    drafts do not count."""

    def test_claims_in_the_scorecard(self):
        with freeze_time("2026-05-10"):
            draft = self._dealer_claim()
            submitted = self._dealer_claim(invoice_ref="INV-DR-1")
            submitted.action_submit()
            # the same serial and failure date again: a duplicate, suspicious
            duplicate = self._dealer_claim(invoice_ref="INV-DR-2")
            duplicate.action_submit()
        self.assertEqual(draft.state, "draft")
        self.assertTrue(duplicate.suspicious)
        self.env.flush_all()
        [(count, suspicious)] = self.env["aftersales.dealer.report"]._read_group(
            [("dealer_id", "=", self.dealer_hh.id), ("kind", "=", "claim")],
            [],
            ["claim_count:sum", "claim_suspicious:sum"],
        )
        self.assertEqual(count, 2, "the draft is left out")
        self.assertEqual(suspicious, 1 + int(submitted.suspicious))
        rows = self.env["aftersales.dealer.report"].search(
            [("dealer_id", "=", self.dealer_hh.id), ("kind", "=", "claim")]
        )
        self.assertEqual(set(rows.mapped("date")), {date(2026, 5, 10)})
