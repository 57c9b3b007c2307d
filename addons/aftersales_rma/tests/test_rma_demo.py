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
        advance = self.env.ref("aftersales_rma.rma_demo_uae_advance")
        self.assertEqual(advance.line_ids.disposition, "advance_replacement")
        self.assertTrue(advance.line_ids.return_due_date)
        self.assertIn("hub_to_customer", advance.shipment_ids.mapped("direction"))
        refund = self.env.ref("aftersales_rma.rma_demo_brazil_refund")
        self.assertEqual(refund.line_ids.disposition, "refund")
        self.assertEqual(refund.state, "submitted")
