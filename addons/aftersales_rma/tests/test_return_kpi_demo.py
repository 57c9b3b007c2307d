from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReturnKpiDemo(TransactionCase):
    """The demo's PM-7 batch: four serials delivered to the Dubai clinic, one
    returned, received and shipped back 60 hours later."""

    def test_demo_return_rate_and_repair_time(self):
        rma = self.env.ref("aftersales_rma.rma_demo_return_kpi", False)
        if not rma or rma.state == "draft":
            return  # without demo data, or demo records added by an upgrade
        lots = self.env["stock.lot"].browse(
            self.env.ref(f"aftersales_rma.demo_return_kpi_lot_{i}").id
            for i in range(1, 5)
        )
        self.assertEqual(rma.state, "done")
        rows = self.env["aftersales.return.report"].search([("lot_id", "in", lots.ids)])
        self.assertEqual(sum(rows.mapped("delivered_qty")), 4)
        self.assertEqual(sum(rows.mapped("returned_qty")), 1)
        self.assertEqual(rows.country_id, self.env.ref("base.ae"))
        mttr = self.env["aftersales.rma.mttr.report"].search([("rma_id", "=", rma.id)])
        self.assertEqual(mttr.lot_id, lots[0])
        self.assertEqual(mttr.repair_hours, 60.0)
        # in working hours of the company's calendar (the RMA has no ticket),
        # stored when the demo set the transfers' dates: less than the 60
        # calendar hours, never nothing (the 60 hours hold a working day)
        self.assertEqual(mttr.repair_working_hours, rma.repair_working_hours)
        self.assertGreater(rma.repair_working_hours, 0)
        self.assertLess(rma.repair_working_hours, 60)
        [expected] = rma.company_id.resource_calendar_id._aftersales_work_hours_batch(
            [(mttr.receipt_date, mttr.ship_date)]
        )
        self.assertAlmostEqual(rma.repair_working_hours, expected)
