from odoo.tests import freeze_time, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestClaimQueries(ClaimCase):
    """Automatic adjudication and payment cost the same number of queries for
    3 claims as for 30 (adjudication by hand: TestClaimAdjudication)."""

    def _lots(self, count, prefix):
        lots = self.env["stock.lot"].create(
            [
                {"name": f"{prefix}-{i}", "product_id": self.product_us200.id}
                for i in range(count)
            ]
        )
        for lot in lots:
            self._register(lot)
        return lots

    def _drafts(self, count, prefix, **values):
        claims = self.env["aftersales.claim"]
        for lot in self._lots(count, prefix):
            claims |= self._dealer_claim(lot, **values)
        self.env.flush_all()
        self.env.invalidate_all()
        return claims

    def _approved(self, count, prefix):
        claims = self._drafts(count, prefix)
        claims.action_submit()
        claims.line_ids.decision = "approved"
        claims.action_adjudicate()
        self.assertEqual(set(claims.mapped("state")), {"approved"})
        self.env.flush_all()
        self.env.invalidate_all()
        return claims.with_user(self.finance)

    def _warm_up(self):
        """One claim through the same path first: the caches a first call fills
        (models, accounts, sequences) are not counted for the 3 claims."""
        self._approved(1, "QW").action_create_bills()
        self.env.flush_all()
        self.env.invalidate_all()

    def _cold(self):
        """Nothing pending, nothing cached: each measure starts from the same
        state (the pending writes and precommit hooks would read records)."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()

    def _queries(self, method):
        """The queries of ``method``, counted as assertQueryCount counts them."""
        self._cold()
        count = self.cr.sql_log_count
        method()
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - count

    def test_automatic_approval_queries_do_not_grow(self):
        self._warm_up()
        self.company.aftersales_claim_auto_amount = 5000.0
        three = self._drafts(3, "QA3")
        thirty = self._drafts(30, "QA30")
        queries = self._queries(three.action_submit)
        self._cold()
        with self.assertQueryCount(queries):
            thirty.action_submit()
        self.assertEqual(set((three | thirty).mapped("state")), {"approved"})
        self.assertFalse(thirty.finding_ids)

    def test_payment_queries_do_not_grow(self):
        self._warm_up()
        three = self._approved(3, "QP3")
        thirty = self._approved(30, "QP30")
        queries = self._queries(three.action_create_bills)
        self._cold()
        with self.assertQueryCount(queries):
            thirty.action_create_bills()
        self.assertEqual(len(three.move_id), 1)
        bill = thirty.move_id
        self.assertEqual(len(bill), 1)
        self.assertEqual(len(bill.invoice_line_ids), 30)
        self.assertEqual(bill.amount_total, 30 * 1020.0)

    def test_posting_queries_do_not_grow(self):
        """Posting the bill marks its claims paid and records their costs."""
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Probe dead",
                "partner_id": self.customer_de.id,
                "team_id": self.team_de.id,
            }
        )
        # the first bills of the journal take other paths of its sequence
        for prefix in ("QTW1", "QTW2"):
            warm = self._approved(1, prefix)
            warm.sudo().ticket_id = ticket
            warm.action_create_bills().sudo().action_post()
        three = self._approved(3, "QT3")
        three.sudo().ticket_id = ticket
        bill_3 = three.action_create_bills()
        thirty = self._approved(30, "QT30")
        thirty.sudo().ticket_id = ticket
        bill_30 = thirty.action_create_bills()
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self._queries(bill_3.sudo().action_post)
        self._cold()
        with self.assertQueryCount(queries):
            bill_30.sudo().action_post()
        self.assertEqual(set(thirty.mapped("state")), {"paid"})
        self.assertEqual(
            self.env["aftersales.cost.line"].search_count(
                [
                    ("source_model", "=", "aftersales.claim"),
                    ("ticket_id", "=", ticket.id),
                ]
            ),
            2 * 35,
        )
