from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestClaimDemo(TransactionCase):
    """The demo claims tell their story (when demo data is installed)."""

    def test_munich_claims(self):
        claim = self.env.ref(
            "aftersales_rma.demo_claim_munich", raise_if_not_found=False
        )
        if not claim:
            return  # a database without demo data: nothing to check
        self.assertEqual(claim.state, "partly_approved")
        self.assertEqual(claim.currency_id, self.env.ref("base.EUR"))
        labour = self.env.ref("aftersales_rma.demo_claim_munich_line_labour")
        self.assertEqual((labour.flat_hours, labour.hours), (1.5, 2.5))
        self.assertEqual(labour.amount_claimed, 170.0)
        self.assertEqual(labour.decision, "reduced")
        self.assertEqual(claim.amount_claimed, 1450.0 + 170.0 + 85.0)
        self.assertEqual(claim.amount_approved, 1450.0 + 102.0 + 85.0)
        self.assertEqual(claim.finding_ids.mapped("check"), ["hours"])
        duplicate = self.env.ref("aftersales_rma.demo_claim_munich_duplicate")
        self.assertEqual(duplicate.state, "submitted")
        self.assertTrue(duplicate.suspicious)
        self.assertIn("duplicate", duplicate.finding_ids.mapped("check"))
        self.assertIn(claim.name, " ".join(duplicate.finding_ids.mapped("message")))
        # paid by credit note; the aging shows whom each claim waits on
        self.assertEqual(claim.dealer_id.aftersales_claim_payment_method, "credit_note")
        aging = self.env["aftersales.claim.aging.report"].search(
            [("claim_id", "in", (claim | duplicate).ids)]
        )
        self.assertEqual(
            {row.claim_id: row.waiting_on for row in aging},
            {claim: "finance", duplicate: "brand"},
        )
