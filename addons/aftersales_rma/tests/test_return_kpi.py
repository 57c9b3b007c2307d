from datetime import date, datetime

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestReturnKpi(RmaCase):
    """The return rate per product and lot and the RMAs' mean time to repair
    (issue 11) on real deliveries, RMAs and transfers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = cls.env["res.company"].create({"name": "Outside Co"})
        cls.outsider_manager = new_test_user(
            cls.env,
            login="as_kpi_outsider",
            groups="aftersales_service.aftersales_group_manager",
            company_id=cls.outsider.id,
            company_ids=[(6, 0, cls.outsider.ids)],
        )

    def _rows(self, model, domain, user=None):
        Report = self.env[model].with_user(user or self.manager)
        self.env.flush_all()
        Report.invalidate_model()
        return Report.search(domain)

    def _deliver_serials(self, names):
        lots = self._stock_serials(names, self.product_us200)
        lines = [(self.product_us200, 1, lot) for lot in lots]
        order = self._sale(self.customer_de, lines)
        self._deliver(order.picking_ids, lots)
        return lots

    def _shipped_back(self, lot):
        """An RMA of ``lot``, received and shipped back as it is."""
        line = self._line(lot, disposition="return_only", warranty_decision="covered")
        rma = self._awaiting(self._rma([line]))
        self._receive(rma)
        rma.action_process()
        self._do_picking(self._kind(rma, "return_customer"), lots={lot.product_id: lot})
        self.assertEqual(rma.state, "done")
        return rma

    def test_return_rate_per_product_and_lot(self):
        lots = self._deliver_serials([f"KPI-RR-{i}" for i in range(4)])
        self._rma([self._line(lots[0])])
        cancelled = self._rma([self._line(lots[1])])
        cancelled.action_cancel()
        month = fields.Date.today().replace(day=1)
        domain = [("product_id", "=", self.product_us200.id)]
        rows = self._rows("aftersales.return.report", domain)
        self.assertEqual(len(rows), 4, "one row per delivered serial this month")
        self.assertEqual(set(rows.mapped("date")), {month})
        self.assertEqual(sum(rows.mapped("delivered_qty")), 4)
        self.assertEqual(sum(rows.mapped("returned_qty")), 1, "the cancelled RMA not")
        returned = rows.filtered(lambda r: r.lot_id == lots[0])
        self.assertEqual((returned.delivered_qty, returned.returned_qty), (1, 1))
        self.assertEqual(returned.return_rate, 1.0)
        self.assertEqual(rows.filtered(lambda r: r.lot_id == lots[1]).return_rate, 0)
        self.assertEqual(returned.country_id, self.env.ref("base.de"))
        # the product's rate of the month: the returned sum over the delivered sum
        groups = (
            self.env["aftersales.return.report"]
            .with_user(self.manager)
            ._read_group(
                domain, ["date:month"], ["delivered_qty:sum", "returned_qty:sum"]
            )
        )
        self.assertEqual(len(groups), 1)
        __, delivered, returned_sum = groups[0]
        self.assertEqual(returned_sum / delivered, 0.25)

    def test_mean_time_to_repair(self):
        lot = self._deliver_serials(["KPI-MTTR-1"])
        rma = self._shipped_back(lot)
        self._kind(rma, "receipt").date_done = datetime(2026, 4, 1, 8, 0)
        self._kind(rma, "return_customer").date_done = datetime(2026, 4, 3, 20, 0)
        waiting = self._awaiting(self._rma([self._line(self._lots(["KPI-MTTR-2"]))]))
        self._receive(waiting)
        rows = self._rows(
            "aftersales.rma.mttr.report", [("rma_id", "in", (rma | waiting).ids)]
        )
        self.assertEqual(rows.rma_id, rma, "not shipped back yet: no repair time")
        self.assertEqual(rows.repair_hours, 60.0)
        self.assertEqual(rows.repair_days, 2.5)
        self.assertEqual(rows.date, date(2026, 4, 1))
        self.assertEqual((rows.product_id, rows.lot_id), (self.product_us200, lot))
        self.assertEqual(rows.country_id, self.env.ref("base.de"))
        # the unit shipped back is no new delivery
        delivered = self._rows("aftersales.return.report", [("lot_id", "=", lot.id)])
        self.assertEqual(sum(delivered.mapped("delivered_qty")), 1)
        self.assertEqual(sum(delivered.mapped("returned_qty")), 1)

    def test_other_company_sees_nothing(self):
        lot = self._deliver_serials(["KPI-OC-1"])
        rma = self._shipped_back(lot)
        domain = [("product_id", "=", self.product_us200.id)]
        for model in ("aftersales.return.report", "aftersales.rma.mttr.report"):
            self.assertTrue(self._rows(model, domain))
            self.assertFalse(self._rows(model, domain, user=self.outsider_manager))
        row = self._rows("aftersales.rma.mttr.report", [("rma_id", "=", rma.id)])
        with self.assertRaises(AccessError):
            row.with_user(self.outsider_manager).read(["repair_hours"])

    def test_only_service_users_read_the_kpis(self):
        """Service users read both reports (which rows: test_return_kpi_access);
        internal users outside the service none."""
        self._deliver_serials(["KPI-ACL-1"])
        plain = new_test_user(self.env, login="as_kpi_plain", groups="base.group_user")
        for model in ("aftersales.return.report", "aftersales.rma.mttr.report"):
            self.env[model].with_user(self.agent).search([])
            self.env[model].with_user(self.stock_user).search([])
            with self.assertRaises(AccessError):
                self.env[model].with_user(plain).search([])
