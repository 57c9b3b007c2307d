from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import BaseCase, tagged

from ..tools.failure_rate import failure_rate
from .common import RmaCase


@tagged("post_install", "-at_install")
class TestFailureRateTool(BaseCase):
    def test_failure_rate(self):
        self.assertEqual(failure_rate(2, 10), 20.0)
        self.assertEqual(failure_rate(0, 10), 0.0)
        self.assertIsNone(failure_rate(3, 0), "no deliveries, no signal")


@tagged("post_install", "-at_install")
class TestQualityAlert(RmaCase):
    """The daily failure-rate check on real receipts, deliveries and tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Probe Works Ltd", "is_company": True}
        )
        # the demo's failure spike (its medical devices' threshold) is not these
        # tests' business: only the test categories have a threshold
        cls.env["product.category"].search(
            [("aftersales_failure_threshold", ">", 0)]
        ).aftersales_failure_threshold = 0.0
        # the parent category's threshold applies to the ultrasound probes
        cls.categ_imaging.aftersales_failure_threshold = 15.0
        cls.probe = cls._serial_product("QA Probe", "QA-PRB", cls.categ_ultrasound)
        cls.owner = cls.manager
        cls.company.write(
            {
                "aftersales_quality_owner_id": cls.owner.id,
                "aftersales_quality_window_days": 90,
            }
        )
        cls.cause = cls.env["aftersales.failure.code"].create(
            {"kind": "cause", "code": "QA-C", "name": "Transducer crystal cracked"}
        )

    def _receive(self, names):
        """A confirmed purchase received with these serials."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.probe.id, "product_qty": len(names)}
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_name": name,
                    "quantity": 1,
                    "picked": True,
                }
                for name in names
            ]
        )
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        return picking.move_line_ids.lot_id

    def _deliver_all(self, lots):
        order = self._sale(self.customer_de, [(self.probe, 1, lot) for lot in lots])
        self._deliver(order.picking_ids, lots)

    def _fail(self, lot):
        return self.env["aftersales.ticket"].create(
            {
                "subject": f"No image {lot.name}",
                "partner_id": self.customer_de.id,
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                "cause_code_id": self.cause.id,
            }
        )

    def _check(self, today=None):
        return self.env["aftersales.quality.alert"]._check_failure_rates(
            self.company, today=today
        )

    def test_failure_rate_above_threshold_opens_one_alert(self):
        purchased = self._receive([f"QA-P{i}" for i in range(3)])
        stocked = self._stock_serials([f"QA-S{i}" for i in range(7)], self.probe)
        self._deliver_all(purchased | stocked)
        self._fail(purchased[0])
        self.assertFalse(self._check(), "1 failure per 10 delivered: under 15 %")
        second = self._fail(stocked[0])
        alert = self._check()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.product_id, self.probe)
        self.assertEqual((alert.failure_count, alert.delivered_count), (2, 10))
        self.assertAlmostEqual(alert.failure_rate, 20.0)
        self.assertEqual(alert.threshold, 15.0)
        self.assertEqual(alert.lot_ids, purchased[0] | stocked[0])
        self.assertEqual(alert.supplier_ids, self.vendor, "the purchased serial's")
        self.assertEqual(alert.failure_code_ids, self.cause)
        self.assertEqual(alert.user_id, self.owner)
        self.assertEqual(alert.activity_ids.user_id, self.owner)
        self.assertIn(second, alert.ticket_ids)
        # the next run brings the open alert up to date, it does not add one
        self._fail(purchased[1])
        again = self._check()
        self.assertEqual(again, alert)
        self.assertEqual(alert.failure_count, 3)
        self.assertEqual(
            self.env["aftersales.quality.alert"].search_count(
                [("product_id", "=", self.probe.id)]
            ),
            1,
        )
        self.assertEqual(len(alert.activity_ids), 1)
        # closed: a new failure spike opens a new alert
        alert.action_investigate()
        alert.action_close()
        self.assertEqual(alert.state, "closed")
        new = self._check()
        self.assertTrue(new)
        self.assertNotEqual(new, alert)

    def test_failures_out_of_the_window_or_without_threshold(self):
        lots = self._stock_serials([f"QA-W{i}" for i in range(4)], self.probe)
        self._deliver_all(lots)
        tickets = self._fail(lots[0]) | self._fail(lots[1])
        # 50 % but 100 days later: out of the 90-day window
        self.assertFalse(self._check(today=fields.Date.today() + timedelta(days=100)))
        self.categ_imaging.aftersales_failure_threshold = 0.0
        self.assertFalse(self._check(), "no threshold, no alert")
        self.categ_imaging.aftersales_failure_threshold = 15.0
        tickets.stage_id = self.env.ref("aftersales_service.stage_cancelled")
        self.assertFalse(self._check(), "cancelled tickets are no failures")

    def test_access(self):
        lots = self._stock_serials(["QA-A0", "QA-A1"], self.probe)
        self._deliver_all(lots)
        self._fail(lots[0])
        alert = self._check()
        self.assertTrue(alert)
        self.assertTrue(alert.with_user(self.agent).read(["name"]))
        with self.assertRaises(AccessError):
            alert.with_user(self.agent).action_close()
        alert.with_user(self.manager).action_investigate()
        self.assertEqual(alert.state, "investigating")
