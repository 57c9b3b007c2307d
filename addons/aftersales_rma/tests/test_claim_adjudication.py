from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestClaimAdjudication(ClaimCase):
    """Per-line decisions, send-back, the manager limit, automatic approval and
    the guarded state changes."""

    def _submitted(self, **values):
        claim = self._dealer_claim(**values)
        claim.action_submit()
        return claim

    def test_one_line_reduced(self):
        claim = self._submitted()
        parts, labour = claim.line_ids
        parts.decision = "approved"
        labour.write(
            {"decision": "reduced", "amount_approved": 90.0, "decision_reason": "1.5 h"}
        )
        claim.with_user(self.agent_de).action_adjudicate()
        self.assertEqual(claim.state, "partly_approved")
        self.assertEqual(parts.amount_approved, 900.0)
        self.assertEqual(claim.amount_claimed, 1020.0)
        self.assertEqual(claim.amount_approved, 990.0)
        self.assertEqual(claim.user_id, self.agent_de)

    def test_all_approved_or_all_rejected(self):
        approved = self._submitted()
        approved.line_ids.decision = "approved"
        approved.action_adjudicate()
        self.assertEqual(approved.state, "approved")
        self.assertEqual(approved.amount_approved, approved.amount_claimed)
        lot = self._lot("US200-CLM-REJ")
        self._register(lot)
        rejected = self._submitted(lot=lot)
        rejected.line_ids.write({"decision": "rejected", "decision_reason": "Misuse"})
        rejected.action_adjudicate()
        self.assertEqual(rejected.state, "rejected")
        self.assertEqual(rejected.amount_approved, 0.0)

    def test_decisions_are_checked(self):
        claim = self._submitted()
        parts, labour = claim.line_ids
        parts.decision = "approved"
        with self.assertRaisesRegex(UserError, "Decide every line"):
            claim.action_adjudicate()
        labour.decision = "rejected"
        with self.assertRaisesRegex(UserError, "reason"):
            claim.action_adjudicate()
        labour.write(
            {"decision": "reduced", "amount_approved": 120.0, "decision_reason": "x"}
        )
        with self.assertRaisesRegex(UserError, "less than"):
            claim.action_adjudicate()
        self.assertEqual(claim.state, "submitted")

    def test_send_back_and_resubmit(self):
        claim = self._submitted()
        with self.assertRaises(UserError):
            claim.action_return("  ")
        wizard = (
            self.env["aftersales.claim.return.wizard"]
            .with_context(**claim.action_open_return_wizard()["context"])
            .create({"reason": "Attach the repair invoice"})
        )
        wizard.action_confirm()
        self.assertEqual(claim.state, "returned")
        self.assertEqual(claim.return_reason, "Attach the repair invoice")
        self.assertIn("Attach the repair invoice", claim.message_ids[0].body)
        claim.line_ids[0].decision = "approved"
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(set(claim.line_ids.mapped("decision")), {"pending"})

    def test_wrong_transitions(self):
        claim = self._dealer_claim()
        with self.assertRaisesRegex(UserError, "cannot go from Draft"):
            claim.action_adjudicate()
        with self.assertRaises(UserError):
            claim.action_return("why")
        claim.action_submit()
        with self.assertRaisesRegex(UserError, "cannot go from Submitted"):
            claim.action_submit()
        claim.line_ids.decision = "approved"
        claim.action_adjudicate()
        with self.assertRaisesRegex(UserError, "cannot go from Approved"):
            claim.action_return("why")
        with self.assertRaises(UserError):
            claim.unlink()

    def test_manager_approves_above_limit(self):
        self.company.aftersales_claim_manager_limit = 500.0
        claim = self._submitted()
        claim.line_ids.decision = "approved"
        with self.assertRaisesRegex(UserError, "manager"):
            claim.with_user(self.agent_de).action_adjudicate()
        self.assertEqual(claim.state, "submitted")
        claim.with_user(self.manager).action_adjudicate()
        self.assertEqual(claim.state, "approved")
        # under the limit an agent decides
        lot = self._lot("US200-CLM-LIM")
        self._register(lot)
        small = self._submitted(lot=lot, lines=[{"cost_type": "labour"}])
        small.line_ids.decision = "approved"
        small.with_user(self.agent_de).action_adjudicate()
        self.assertEqual(small.state, "approved")

    def test_automatic_approval_of_clean_claims(self):
        self.company.aftersales_claim_auto_amount = 200.0
        clean = self._submitted(lines=[{"cost_type": "labour"}])
        self.assertEqual(clean.state, "approved")
        self.assertEqual(clean.amount_approved, 120.0)
        # a claim with a finding (a duplicate of the clean one) waits
        duplicate = self._submitted(lines=[{"cost_type": "labour"}])
        self.assertTrue(duplicate.suspicious)
        self.assertEqual(duplicate.state, "submitted")
        # a clean claim above the amount waits
        lot = self._lot("US200-CLM-BIG")
        self._register(lot)
        big = self._submitted(lot=lot)
        self.assertFalse(big.finding_ids)
        self.assertEqual(big.state, "submitted")

    def _claims(self, count, prefix):
        lots = self.env["stock.lot"].create(
            [
                {"name": f"{prefix}-{i}", "product_id": self.product_us200.id}
                for i in range(count)
            ]
        )
        claims = self.env["aftersales.claim"]
        for lot in lots:
            claims |= self._dealer_claim(lot)
        claims.action_submit()
        for claim in claims:
            parts, labour = claim.line_ids
            parts.decision = "approved"
            labour.write(
                {
                    "decision": "reduced",
                    "amount_approved": 60.0,
                    "decision_reason": "1 h",
                }
            )
        self.env.flush_all()
        self.env.invalidate_all()
        return claims

    def test_adjudication_queries_do_not_grow(self):
        three = self._claims(3, "QC3")
        count = self.cr.sql_log_count
        three.action_adjudicate()
        self.env.flush_all()
        queries = self.cr.sql_log_count - count
        thirty = self._claims(30, "QC30")
        with self.assertQueryCount(queries):
            thirty.action_adjudicate()
            self.env.flush_all()
        self.assertEqual(set(thirty.mapped("state")), {"partly_approved"})
        self.assertEqual(thirty[0].amount_approved, 960.0)
