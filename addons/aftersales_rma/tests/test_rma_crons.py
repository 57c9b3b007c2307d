from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaCrons(RmaCase):
    def test_advance_replacement_overdue_and_deposit(self):
        faulty = self._lots(["RMA-ADV-1"])
        new = self._stock_serials(["RMA-ADV-NEW"])
        start = datetime(2026, 3, 2, 9, 0)
        with self._at(start):
            rma = self._rma(
                [
                    self._line(
                        faulty,
                        disposition="advance_replacement",
                        warranty_decision="covered",
                    )
                ],
                partner=self.customer_ng,
            )
            self.assertEqual(rma.template_id, self.tmpl_world)
            self._approved(rma)
            line = rma.line_ids
            self.assertEqual(line.return_due_date, start.date() + timedelta(days=21))
            replacement = self._kind(rma, "replacement")
            self._do_picking(replacement, lots={self.product_us200: new})
            self.assertEqual(line.replacement_lot_ids, new)
            rma.action_request_return()
            self.assertEqual(rma.state, "awaiting_receipt")
        Rma = self.env["aftersales.rma"]
        with self._at(start + timedelta(days=10)):
            Rma._cron_advance_returns()
            self.assertFalse(line.reminder_date)
        with self._at(start + timedelta(days=19)):
            messages = len(rma.message_ids)
            Rma._cron_advance_returns()
            self.assertTrue(line.reminder_date)
            self.assertGreater(len(rma.message_ids), messages, "reminder sent")
            self.assertFalse(line.return_overdue)
        with self._at(start + timedelta(days=22)):
            Rma._cron_advance_returns()
            self.assertTrue(line.return_overdue)
            self.assertTrue(rma.return_overdue)
            self.assertTrue(rma.activity_ids)
            self.assertFalse(line.deposit_move_id, "grace days not over")
        with self._at(start + timedelta(days=32)):
            Rma._cron_advance_returns()
            deposit = line.deposit_move_id
            self.assertEqual(deposit.move_type, "out_invoice")
            self.assertEqual(deposit.state, "posted")
            self.assertEqual(deposit.partner_id, self.customer_ng)
            self.assertEqual(deposit.invoice_line_ids.product_id, self.deposit_product)
            self.assertEqual(deposit.amount_untaxed, 2500.0)
            self.assertEqual(deposit.currency_id, self.tmpl_world.currency_id)
            # once only
            Rma._cron_advance_returns()
            self.assertEqual(
                self.env["account.move"].search_count(
                    [
                        ("aftersales_rma_id", "=", rma.id),
                        ("move_type", "=", "out_invoice"),
                    ]
                ),
                1,
            )
        with self._at(start + timedelta(days=33)):
            self._receive(rma)
            self.assertEqual(rma.state, "received")
            Rma._cron_advance_returns()
            self.assertFalse(line.return_overdue)
            rma.action_process()
            self._do_picking(
                self._kind(rma, "disposal"), lots={self.product_us200: faulty}
            )
            self.assertEqual(rma.state, "done")

    def test_stale_rmas_flagged_and_customer_informed(self):
        self.tmpl_de.stale_days = 5
        start = datetime(2026, 3, 2, 9, 0)
        with self._at(start):
            quiet = self._rma([self._line(warranty_decision="covered")])
            self._awaiting(quiet)
            moving = self._rma([self._line(warranty_decision="covered")])
            self._awaiting(moving)
            fresh = self._rma([self._line(warranty_decision="chargeable")])
        with self._at(start + timedelta(days=4)):
            fresh.action_submit()
            self.env["aftersales.shipment.event"].create(
                {
                    "shipment_id": moving.shipment_ids.id,
                    "date": fields.Datetime.now(),
                    "status": "customs_hold",
                    "description": "Held by customs",
                }
            )
        with self._at(start + timedelta(days=6)):
            self.env["aftersales.rma"]._cron_stale_check()
        self.assertTrue(quiet.is_stale)
        self.assertFalse(moving.is_stale, "a shipment event is news")
        self.assertFalse(fresh.is_stale)
        mail = quiet.message_ids.filtered(
            lambda m: "status of your return" in (m.subject or "")
        )
        self.assertTrue(mail)
        self.assertIn(self.customer_de, mail.partner_ids)
        # the cron does not write again; a state change clears the flag
        with self._at(start + timedelta(days=7)):
            self.env["aftersales.rma"]._cron_stale_check()
        self.assertEqual(
            len(
                quiet.message_ids.filtered(
                    lambda m: "status of your return" in (m.subject or "")
                )
            ),
            1,
        )
        self._receive(quiet)
        self.assertFalse(quiet.is_stale)

    def test_stale_check_in_one_batch(self):
        self.tmpl_de.stale_days = 5
        start = datetime(2026, 3, 2, 9, 0)
        with self._at(start):
            rmas = self.env["aftersales.rma"]
            for _i in range(5):
                rmas |= self._rma([self._line(warranty_decision="covered")])
            rmas.action_submit()
        self.env.flush_all()
        self.env.invalidate_all()
        with self._at(start + timedelta(days=6)):
            self.env["aftersales.rma"].with_context(
                mail_notrack=True
            )._cron_stale_check()
        self.assertTrue(all(rmas.mapped("is_stale")))
