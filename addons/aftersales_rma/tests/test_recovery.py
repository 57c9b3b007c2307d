from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common_recovery import RecoveryCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestRecovery(RecoveryCase):
    """Proposing supplier recoveries from the warranty costs of cases on serials
    received from the supplier, their states and the vendor credit note."""

    def test_propose_per_supplier_and_month(self):
        lot1, lot2, lot3 = self.lots
        case1, case2, case3 = self._case(lot1), self._case(lot2), self._case(lot3)
        april = self._cost(case1, 500.0, date(2026, 4, 10))
        april |= self._cost(case1, 100.0, date(2026, 4, 12), cost_type="travel")
        april |= self._cost(case2, 300.0, date(2026, 4, 20))
        may = self._cost(case3, 200.0, date(2026, 5, 5))
        # not the supplier's: paid by the customer, or a serial of another
        # supplier without ratio, or a case without serial
        self._cost(case2, 50.0, date(2026, 4, 20), payer="customer")
        self._cost(self._case(self.lot_other), 400.0, date(2026, 4, 20))
        self._cost(
            self._ticket(product_id=self.linear_probe.id), 80.0, date(2026, 4, 2)
        )

        recoveries = self._propose().sorted("date_from")
        self.assertEqual(len(recoveries), 2, "one per supplier and month")
        rec_april, rec_may = recoveries
        self.assertEqual(rec_april.partner_id, self.supplier)
        self.assertEqual(rec_april.currency_id, self.eur, "in the supplier's currency")
        self.assertEqual(
            (rec_april.date_from, rec_april.date_to),
            (date(2026, 4, 1), date(2026, 4, 30)),
        )
        self.assertEqual(rec_april.line_ids.cost_line_id, april)
        self.assertEqual(rec_may.line_ids.cost_line_id, may)
        self.assertEqual(rec_april.state, "draft")
        self.assertEqual(rec_april.ticket_ids, case1 | case2)
        self.assertEqual(rec_april.lot_ids, lot1 | lot2)
        # 80 % (the probe's ratio) of 900 USD, at April's rate 0.9 EUR per USD
        self.assertEqual(set(rec_april.line_ids.mapped("ratio")), {80.0})
        self.assertAlmostEqual(rec_april.amount_cost, 900.0)
        self.assertAlmostEqual(rec_april.amount_company, 720.0)
        self.assertAlmostEqual(rec_april.amount_total, 648.0)
        self.assertAlmostEqual(rec_april.ratio, 80.0)
        # May's rate: 0.8
        self.assertAlmostEqual(rec_may.amount_total, 128.0)

    def test_each_cost_claimed_once(self):
        case = self._case(self.lots[0])
        first = self._cost(case, 500.0, date(2026, 4, 10))
        recovery = self._propose()
        self.assertEqual(recovery.line_ids.cost_line_id, first)
        self.assertFalse(self._propose(), "run twice: nothing new to claim")
        # a new cost of the same month joins the draft of that month
        second = self._cost(case, 100.0, date(2026, 4, 11))
        self.assertEqual(self._propose(), recovery)
        self.assertEqual(recovery.line_ids.cost_line_id, first | second)
        # once sent, a later cost of April makes a new claim
        recovery.action_send()
        third = self._cost(case, 60.0, date(2026, 4, 12))
        later = self._propose()
        self.assertNotEqual(later, recovery)
        self.assertEqual(later.line_ids.cost_line_id, third)
        self.assertEqual(len(recovery.line_ids), 2)
        # and the database refuses to claim a cost a second time
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                later.write(
                    {
                        "line_ids": [
                            Command.create(
                                {
                                    "cost_line_id": first.id,
                                    "lot_id": self.lots[0].id,
                                    "ratio": 80.0,
                                    "amount": 1.0,
                                    "amount_company": 1.0,
                                }
                            )
                        ]
                    }
                )
                later.flush_recordset()
                self.env["aftersales.recovery.line"].flush_model()

    def test_most_specific_ratio(self):
        scanner_lot = self._purchase_receive(
            self.supplier, self.product_us200, ["USR-1"]
        )
        xray_lot = self._purchase_receive(self.supplier, self.product_xr10, ["XRR-1"])
        Ratio = self.env["aftersales.recovery.ratio"]
        Ratio.create(
            {
                "partner_id": self.supplier.id,
                "categ_id": self.categ_imaging.id,
                "ratio": 30.0,
            }
        )
        # the scanner's category (ultrasound) has no row: its parent (imaging)
        self._cost(self._case(scanner_lot), 100.0, date(2026, 5, 2))
        # the probe's own row (80 %) before its category's
        self._cost(self._case(self.lots[0]), 100.0, date(2026, 5, 2))
        recovery = self._propose()
        ratios = {line.product_id: line.ratio for line in recovery.line_ids}
        self.assertEqual(ratios, {self.product_us200: 30.0, self.linear_probe: 80.0})
        # without a category row, the supplier's default (50 %)
        Ratio.search([("categ_id", "=", self.categ_imaging.id)]).unlink()
        self._cost(self._case(xray_lot), 100.0, date(2026, 5, 3))
        line = self._propose().line_ids.filtered(lambda ln: ln.lot_id == xray_lot)
        self.assertEqual(line.ratio, 50.0)

    def test_accept_books_draft_credit_note(self):
        self._cost(self._case(self.lots[0]), 500.0, date(2026, 4, 10))
        recovery = self._propose()
        with self.assertRaisesRegex(UserError, "cannot go from Draft to Accepted"):
            recovery.with_user(self.finance).action_accept()
        recovery.with_user(self.finance).action_send()
        move = recovery.with_user(self.finance).action_accept()
        self.assertEqual(recovery.state, "accepted")
        self.assertEqual(recovery.move_id, move)
        self.assertEqual(move.aftersales_recovery_id, recovery, "linked both ways")
        self.assertEqual(move.move_type, "in_refund")
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.partner_id, self.supplier)
        self.assertEqual(move.currency_id, self.eur)
        self.assertAlmostEqual(move.amount_total, 360.0)
        self.assertIn(self.lots[0].name, move.invoice_line_ids.name)
        move.with_user(self.finance).action_post()
        self.assertEqual(recovery.state, "credited")

    def test_dispute_and_reject_keep_reason(self):
        self._cost(self._case(self.lots[0]), 500.0, date(2026, 4, 10))
        self._cost(self._case(self.lots[1]), 200.0, date(2026, 5, 10))
        april, may = self._propose().sorted("date_from")
        (april | may).action_send()
        with self.assertRaisesRegex(UserError, "reason"):
            april.action_dispute()
        april.action_dispute("Lens cracks come from a drop, not from the batch.")
        self.assertEqual(april.state, "disputed")
        april.action_send()  # sent again with photos
        april.action_reject("Rejected after the lab test.")
        may.reason = "The unit was opened by a third party."
        may.action_reject()
        Recovery = self.env["aftersales.recovery"]
        listed = Recovery.search([("state", "in", ("disputed", "rejected"))])
        self.assertIn(april, listed)
        self.assertEqual(april.reason, "Rejected after the lab test.")
        self.assertEqual(may.reason, "The unit was opened by a third party.")
        with self.assertRaisesRegex(UserError, "cannot go from Rejected"):
            april.action_accept()
        # a rejected claim keeps its costs: they are not proposed again
        self.assertFalse(self._propose())
        with self.assertRaisesRegex(UserError, "Only draft"):
            april.unlink()

    def test_quality_alert_creates_recovery(self):
        case1, case2 = self._case(self.lots[0]), self._case(self.lots[1])
        self._cost(case1, 500.0, date(2026, 5, 2))
        other = self._cost(case2, 300.0, date(2026, 5, 2))
        alert = self.env["aftersales.quality.alert"].create(
            {
                "name": "Linear probe lens",
                "product_id": self.linear_probe.id,
                "window_start": date(2026, 2, 1),
                "window_end": date(2026, 5, 1),
                "lot_ids": [Command.set(self.lots[0].ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "Confirm the defect"):
            alert.with_user(self.manager).action_create_recovery()
        alert.action_confirm()
        alert.with_user(self.manager).action_create_recovery()
        recovery = alert.recovery_ids
        self.assertEqual(len(recovery), 1)
        self.assertEqual(recovery.quality_alert_id, alert)
        self.assertEqual(recovery.lot_ids, self.lots[0], "only the alert's serials")
        self.assertEqual(alert.recovery_count, 1)
        # the monthly run adds the rest to the same draft
        self._propose()
        self.assertIn(other, recovery.line_ids.cost_line_id)
