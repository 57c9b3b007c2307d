from datetime import datetime

from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestClaimPoints(ClaimCase):
    """Rejected and suspicious claims cost their dealer incentive points, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_points_claim_rejected": 20,
                "aftersales_points_claim_suspicious": 10,
            }
        )
        cls.Points = cls.env["aftersales.dealer.points"]
        cls.Points.search([]).unlink()
        # the demo documents are not the tests' business
        cls.env.flush_all()
        for model in cls.Points._points_source_models():
            cls.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = %s",
                    SQL.identifier(cls.env[model]._table),
                    datetime(2000, 1, 1),
                )
            )

    def _book(self):
        return self.Points._book_points(datetime(2001, 1, 1))

    def _claim_lines(self, claim):
        return self.Points.search(
            [("res_model", "=", "aftersales.claim"), ("res_id", "=", claim.id)]
        )

    def test_rejected_and_suspicious_claims_lose_points(self):
        clean = self._dealer_claim()
        clean.action_submit()
        self.assertFalse(clean.suspicious)
        rejected_lot = self._lot("US200-PTS-REJ")
        self._register(rejected_lot)
        rejected = self._dealer_claim(rejected_lot)
        rejected.action_submit()
        rejected.line_ids.write({"decision": "rejected", "decision_reason": "Misuse"})
        rejected.action_adjudicate()
        self.assertEqual(rejected.state, "rejected")
        # a serial without registration: flagged by the warranty check
        suspicious = self._dealer_claim(self._lot("US200-PTS-NOREG"))
        suspicious.action_submit()
        self.assertTrue(suspicious.suspicious)
        draft = self._dealer_claim(self._lot("US200-PTS-DRAFT"))
        self.assertEqual(draft.state, "draft")
        self._book()
        self.assertFalse(self._claim_lines(clean))
        self.assertFalse(self._claim_lines(draft))
        self.assertEqual(
            self._claim_lines(rejected).mapped(lambda line: (line.rule, line.points)),
            [("claim_rejected", -20)],
        )
        self.assertEqual(
            self._claim_lines(suspicious).mapped(lambda line: (line.rule, line.points)),
            [("claim_suspicious", -10)],
        )
        self.assertEqual(self._claim_lines(suspicious).source_ref, suspicious)
        self.assertEqual(self.dealer_hh.aftersales_points_balance, -30)
        # twice: nothing booked twice
        self.assertFalse(self._book())
        self.assertEqual(self.dealer_hh.aftersales_points_balance, -30)

    def test_loss_rule_off(self):
        self.company.aftersales_points_claim_suspicious = 0
        suspicious = self._dealer_claim(self._lot("US200-PTS-NOREG"))
        suspicious.action_submit()
        self.assertTrue(suspicious.suspicious)
        self.assertFalse(self._book())

    def test_rejection_undone_reverses_the_loss(self):
        lot = self._lot("US200-PTS-UNDO")
        self._register(lot)
        claim = self._dealer_claim(lot)
        claim.action_submit()
        self.assertFalse(claim.suspicious)
        claim.line_ids.write({"decision": "rejected", "decision_reason": "Misuse"})
        claim.action_adjudicate()
        self._book()
        self.assertEqual(self.dealer_hh.aftersales_points_balance, -20)
        # the rejection is undone (a correction) and the claim approved
        claim.write({"state": "submitted"})
        claim.line_ids.write({"decision": "approved", "decision_reason": False})
        claim.action_adjudicate()
        self.assertEqual(claim.state, "approved")
        reversal = self._book()
        self.assertEqual(
            reversal.mapped(lambda line: (line.rule, line.points, line.step)),
            [("claim_rejected", 20, 1)],
        )
        self.assertEqual(reversal.reversal_of_id.points, -20)
        self.assertIn("no longer rejected", reversal.note)
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 0)
        # twice: reversed once
        self.assertFalse(self._book())
        self.assertEqual(len(self._claim_lines(claim)), 2)
