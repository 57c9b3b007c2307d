from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaStaleBatches(RmaCase):
    def _progress(self):
        cron = self.env.ref("aftersales_rma.ir_cron_aftersales_rma_stale_check")
        return self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "done": 0, "remaining": 0}
        )

    def test_stale_check_reports_what_remains(self):
        """A run that stops at its batch size tells the cron worker how many RMAs
        remain, so that the worker calls it again at once."""
        self.tmpl_de.stale_days = 5
        start = datetime(2026, 3, 2, 9, 0)
        with self._at(start):
            rmas = self.env["aftersales.rma"]
            for _i in range(3):
                rmas |= self._rma([self._line(warranty_decision="covered")])
            rmas.action_submit()
        self.env.flush_all()
        Rma = self.env["aftersales.rma"]
        with self._at(start + timedelta(days=6)):
            progress = self._progress()
            first = Rma.with_context(ir_cron_progress_id=progress.id)
            first = first._cron_stale_check(batch_size=2)
            self.assertEqual(len(first), 2)
            self.assertEqual((progress.done, progress.remaining), (2, 1))
            progress = self._progress()
            second = Rma.with_context(ir_cron_progress_id=progress.id)
            second = second._cron_stale_check(batch_size=2)
            self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(first | second, rmas)
        self.assertTrue(all(rmas.mapped("is_stale")))
        for rma in rmas:
            updates = rma.message_ids.filtered(
                lambda m: "status of your return" in (m.subject or "")
            )
            self.assertEqual(len(updates), 1)
            self.assertIn(self.customer_de, updates.partner_ids)
