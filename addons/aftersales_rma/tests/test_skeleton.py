from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRmaSkeleton(TransactionCase):
    def test_sequence_and_shipment_leg(self):
        partner = self.env["res.partner"].create({"name": "Klinikum Nord"})
        product = self.env["product.product"].create({"name": "Probe", "type": "consu"})
        rma = self.env["aftersales.rma"].create(
            {"partner_id": partner.id, "line_ids": [(0, 0, {"product_id": product.id})]}
        )
        self.assertTrue(rma.name.startswith("RMA"))
        self.assertEqual(rma.line_ids.disposition, "repair")
