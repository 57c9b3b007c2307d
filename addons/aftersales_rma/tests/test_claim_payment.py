from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestClaimPayment(ClaimCase):
    """The faulty part's return before payment, and the vendor bills paying
    approved claims (real account.move records)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_munich = cls.env["res.partner"].create(
            {
                "name": "Isar Medical Munich GmbH",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.distributor_eu.id,
                "country_id": cls.env.ref("base.de").id,
            }
        )

    def _approved(self, lot=None, **values):
        claim = self._dealer_claim(lot, **values)
        claim.action_submit()
        claim.line_ids.decision = "approved"
        claim.action_adjudicate()
        return claim

    def _registered_lot(self, name, dealer=None):
        lot = self._lot(name)
        self._register(lot, dealer_id=(dealer or self.dealer_hh).id)
        return lot

    def test_faulty_part_returned_before_payment(self):
        self.rule_eu.return_faulty_part = True
        claim = self._approved()
        rma = claim.rma_id
        self.assertTrue(rma)
        self.assertEqual(rma.partner_id, self.dealer_hh)
        self.assertEqual(rma.state, "awaiting_receipt")
        self.assertEqual(rma.line_ids.product_id, self.probe)
        self.assertEqual(rma.line_ids.reason_note, "C5-0001")
        receipt = rma.picking_ids.filtered(lambda p: p.aftersales_rma_kind == "receipt")
        self.assertEqual(len(receipt), 1)
        self.assertEqual(claim.part_return_state, "waiting")
        with self.assertRaisesRegex(UserError, "faulty part"):
            claim.with_user(self.finance).action_create_bills()
        self.assertFalse(claim.move_id)
        # the part arrives: the claim can be paid
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        self._validate(receipt)
        self.assertEqual(rma.state, "received")
        self.assertEqual(claim.part_return_state, "received")
        claim.with_user(self.finance).action_create_bills()
        self.assertTrue(claim.move_id)

    def test_pay_before_return_when_allowed(self):
        self.rule_eu.return_faulty_part = True
        self.company.aftersales_claim_pay_before_return = True
        claim = self._approved()
        self.assertEqual(claim.part_return_state, "waiting")
        claim.with_user(self.finance).action_create_bills()
        self.assertTrue(claim.move_id)

    def test_no_return_without_the_policy(self):
        claim = self._approved()
        self.assertFalse(claim.rma_id)
        self.assertEqual(claim.part_return_state, "none")

    def test_one_bill_per_dealer(self):
        hh_1 = self._approved()
        hh_2 = self._approved(self._registered_lot("US200-PAY-2"), invoice_ref="HH-2")
        munich = self._approved(
            self._registered_lot("US200-PAY-3", self.dealer_munich),
            dealer_id=self.dealer_munich.id,
            lines=[{"cost_type": "labour"}],
        )
        claims = hh_1 | hh_2 | munich
        wizard = (
            self.env["aftersales.claim.payment.wizard"]
            .with_user(self.finance)
            .with_context(default_claim_ids=claims.ids)
            .create({"invoice_date": "2026-05-31"})
        )
        self.assertEqual((wizard.claim_count, wizard.dealer_count), (3, 2))
        action = wizard.action_confirm()
        bills = self.env["account.move"].search(action["domain"])
        self.assertEqual(len(bills), 2)
        bill_hh = bills.filtered(lambda b: b.partner_id == self.dealer_hh)
        bill_munich = bills - bill_hh
        self.assertEqual(bill_hh.move_type, "in_invoice")
        self.assertEqual(bill_hh.currency_id, self.eur)
        self.assertEqual(str(bill_hh.invoice_date), "2026-05-31")
        self.assertEqual(bill_hh.amount_total, 2040.0)
        self.assertEqual(bill_hh.amount_tax, 0.0)
        self.assertEqual(bill_munich.partner_id, self.dealer_munich)
        self.assertEqual(bill_munich.amount_total, 120.0)
        # linked both ways, one line per claim
        self.assertEqual(bill_hh.invoice_line_ids.aftersales_claim_id, hh_1 | hh_2)
        self.assertEqual(len(bill_hh.invoice_line_ids), 2)
        self.assertEqual((hh_1 | hh_2).move_id, bill_hh)
        self.assertEqual(munich.move_id, bill_munich)
        self.assertEqual(
            bill_hh.invoice_line_ids.product_id,
            self.env.ref("aftersales_rma.product_claim_reimbursement"),
        )
        self.assertEqual(hh_1.state, "approved")
        self.assertEqual(hh_1.payment_state, "not_paid")
        # a claim is billed once
        with self.assertRaisesRegex(UserError, "cannot be paid"):
            hh_1.with_user(self.finance).action_create_bills()
        bills.action_post()
        self.assertEqual(set(claims.mapped("state")), {"paid"})
        self.assertEqual(bill_hh.state, "posted")

    def test_bill_in_dealer_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        dealer_us = self.env["res.partner"].create(
            {
                "name": "Lone Star Imaging",
                "is_company": True,
                "aftersales_role": "dealer",
            }
        )
        self.env["aftersales.labour.rate"].create(
            {
                "rate_type": "hourly",
                "dealer_id": dealer_us.id,
                "hourly_rate": 80.0,
                "currency_id": usd.id,
            }
        )
        claim = self._approved(
            self._registered_lot("US200-PAY-USD", dealer_us),
            dealer_id=dealer_us.id,
            lines=[{"cost_type": "labour"}],
        )
        self.assertEqual(claim.currency_id, usd)
        self.assertEqual(claim.amount_approved, 160.0)
        bill = claim.with_user(self.finance).action_create_bills()
        self.assertEqual(bill.currency_id, usd)
        self.assertEqual(bill.amount_total, 160.0)
        self.assertEqual(bill.partner_id, dealer_us)

    def test_who_may_pay(self):
        claim = self._approved()
        with self.assertRaises(AccessError):
            claim.with_user(self.agent_de).action_create_bills()
        with self.assertRaises(AccessError):
            claim.with_user(self.manager).action_create_bills()
        self.assertFalse(claim.move_id)
        # not approved: not payable
        lot = self._registered_lot("US200-PAY-DRAFT")
        draft = self._dealer_claim(lot)
        with self.assertRaisesRegex(UserError, "cannot be paid"):
            draft.with_user(self.finance).action_create_bills()
        # a service user cannot post a bill either
        bill = claim.with_user(self.finance).action_create_bills()
        with self.assertRaises(AccessError):
            bill.with_user(self.agent_de).action_post()
        self.assertEqual(claim.state, "approved")

    def test_credit_note_on_customer_account(self):
        """A dealer set to *Customer Credit Note* is paid by a credit note on
        its customer account; the others of the same run by a vendor bill."""
        self.dealer_munich.aftersales_claim_payment_method = "credit_note"
        hh = self._approved()
        munich_1 = self._approved(
            self._registered_lot("US200-CN-1", self.dealer_munich),
            dealer_id=self.dealer_munich.id,
        )
        munich_2 = self._approved(
            self._registered_lot("US200-CN-2", self.dealer_munich),
            dealer_id=self.dealer_munich.id,
            lines=[{"cost_type": "labour"}],
        )
        moves = (
            (hh | munich_1 | munich_2)
            .with_user(self.finance)
            .action_create_bills("2026-05-31")
        )
        self.assertEqual(len(moves), 2)
        credit_note = moves.filtered(lambda m: m.partner_id == self.dealer_munich)
        bill = moves - credit_note
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, self.dealer_hh)
        self.assertEqual(credit_note.currency_id, self.eur)
        self.assertEqual(credit_note.amount_total, 1020.0 + 120.0)
        self.assertEqual(credit_note.amount_tax, 0.0)
        self.assertEqual(
            sorted(credit_note.invoice_line_ids.mapped("price_subtotal")),
            [120.0, 1020.0],
        )
        # linked both ways, one line per claim
        self.assertEqual(
            credit_note.invoice_line_ids.aftersales_claim_id, munich_1 | munich_2
        )
        self.assertEqual((munich_1 | munich_2).move_id, credit_note)
        self.assertEqual(hh.move_id, bill)
        # booked on the claim product's expense account, against the dealer's
        # receivable
        product = self.env.ref("aftersales_rma.product_claim_reimbursement")
        expense = product.product_tmpl_id.get_product_accounts()["expense"]
        self.assertEqual(credit_note.invoice_line_ids.account_id, expense)
        credit_note.action_post()
        receivable = credit_note.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.partner_id, self.dealer_munich)
        self.assertEqual(receivable.amount_currency, -1140.0)
        self.assertEqual((munich_1 | munich_2).mapped("state"), ["paid", "paid"])
        self.assertEqual(munich_1.payment_state, "not_paid")
        self.assertEqual(hh.state, "approved")

    def test_credit_note_method_read_on_the_dealer_company(self):
        """A claim entered for a contact of the dealer follows the setting of
        the dealer's company."""
        self.dealer_hh.aftersales_claim_payment_method = "credit_note"
        contact = self.env["res.partner"].create(
            {"name": "Service desk", "parent_id": self.dealer_hh.id}
        )
        claim = self._approved(dealer_id=contact.id)
        move = claim.with_user(self.finance).action_create_bills()
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.partner_id, self.dealer_hh)
