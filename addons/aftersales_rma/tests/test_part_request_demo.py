from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartRequestDemo(TransactionCase):
    def test_demo_part_from_hamburg_for_lagos(self):
        request = self.env.ref("aftersales_rma.demo_part_request_lagos", False)
        if not request:
            self.skipTest("installed without demo data")
        hamburg = self.env.ref("aftersales_rma.demo_warehouse_hamburg")
        self.assertEqual(request.country_id.code, "NG")
        self.assertFalse(request.chargeable)
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.warehouse_id, hamburg)
        self.assertEqual(request.line_ids.sourcing, "stock")
        self.assertEqual(request.parts_state, "reserved")
        shipment = request.shipment_ids
        self.assertEqual(shipment.direction, "hub_to_customer")
        self.assertEqual(shipment.picking_id.picking_type_id.warehouse_id, hamburg)
        self.assertEqual(shipment.partner_id, request.partner_id)

        orderpoint = self.env.ref(
            "aftersales_rma.demo_orderpoint_display_board_hamburg"
        )
        po_line = self.env["purchase.order.line"].search(
            [("orderpoint_id", "=", orderpoint.id)]
        )
        self.assertEqual(po_line.product_qty, 4)
        self.assertEqual(po_line.partner_id.name, "Shenzhen Display Works")

        cables = self.env.ref("aftersales_rma.demo_part_request_lagos_cable")
        self.assertTrue(cables.chargeable)
        self.assertEqual(cables.state, "to_approve")
        self.assertEqual(cables.sale_order_id.state, "draft")
        self.assertFalse(cables.move_ids)
