from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRecoveryDemo(TransactionCase):
    """The demo's faulty probe batch is recovered from its supplier (when demo
    data is installed)."""

    def test_probe_batch(self):
        supplier = self.env.ref(
            "aftersales_rma.demo_recovery_supplier", raise_if_not_found=False
        )
        if not supplier:
            return  # a database without demo data: nothing to check
        if self.env.ref("aftersales_rma.demo_recovery_po").state == "draft":
            # demo data loaded by an upgrade: Odoo runs no <function> of a demo
            # file then (the purchase is not confirmed, nothing was proposed)
            return
        recoveries = (
            self.env["aftersales.recovery"]
            .search([("partner_id", "=", supplier.id)])
            .sorted("date_from")
        )
        self.assertEqual(recoveries.mapped("state"), ["accepted", "disputed"])
        accepted, disputed = recoveries
        self.assertEqual(accepted.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(set(accepted.line_ids.mapped("ratio")), {80.0})
        # the probe and the visit of the first case, the probe of the second;
        # the courier the hospital asked for is not the supplier's
        self.assertEqual(len(accepted.line_ids), 3)
        self.assertEqual(len(accepted.ticket_ids), 2)
        self.assertEqual(accepted.move_id.move_type, "in_refund")
        self.assertEqual(accepted.move_id.state, "draft")
        self.assertEqual(accepted.move_id.amount_total, accepted.amount_total)
        self.assertIn("lens", disputed.reason)
        report = self.env["aftersales.finance.report"].search(
            [("ticket_id", "in", accepted.ticket_ids.ids)]
        )
        self.assertEqual(len(report), 2)
        self.assertAlmostEqual(sum(report.mapped("recovered")), accepted.amount_company)
