from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRmaDemo(TransactionCase):
    def test_demo_returns(self):
        hospital = self.env.ref("aftersales_rma.rma_demo_hospital_de", False)
        if not hospital:
            self.skipTest("installed without demo data")
        self.assertEqual(hospital.state, "awaiting_receipt")
        self.assertEqual(hospital.line_ids.disposition, "repair")
        self.assertEqual(hospital.line_ids.warranty_decision, "covered")
        self.assertEqual(hospital.template_id.country_ids.code, "DE")
        shipment = hospital.shipment_ids
        self.assertEqual(shipment.direction, "customer_to_hub")
        self.assertEqual(shipment.status, "customs_hold")
        self.assertIn("customs_hold", shipment.event_ids.mapped("status"))
        # its customs papers are ready: the unit, its HS code, origin and value
        self.assertEqual(shipment.line_ids.lot_id, hospital.line_ids.lot_id)
        self.assertEqual(shipment.line_ids.hs_code, "9018.12")
        self.assertEqual(shipment.line_ids.origin_country_id.code, "CN")
        self.assertEqual(shipment.export_reason, "repair_return")
        self.assertGreater(shipment.declared_value, 0)
        self.assertEqual(
            shipment.currency_id.compare_amounts(
                shipment.declared_value, sum(shipment.line_ids.mapped("price_subtotal"))
            ),
            0,
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "aftersales_rma.action_report_aftersales_customs_invoice", shipment.ids
            )[0]
            .decode()
        )
        self.assertIn("Proforma Invoice", html)
        self.assertIn("9018.12", html)
        self.assertIn(hospital.line_ids.lot_id.name, html)
        advance = self.env.ref("aftersales_rma.rma_demo_uae_advance")
        self.assertEqual(advance.line_ids.disposition, "advance_replacement")
        self.assertTrue(advance.line_ids.return_due_date)
        self.assertIn("hub_to_customer", advance.shipment_ids.mapped("direction"))
        refund = self.env.ref("aftersales_rma.rma_demo_brazil_refund")
        self.assertEqual(refund.line_ids.disposition, "refund")
        self.assertEqual(refund.state, "submitted")
