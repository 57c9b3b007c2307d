import json

from odoo.tests import HttpCase, tagged

from .common_part import PartRequestCase

# a 1x1 PNG: the customer's drawn signature
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGA"
    "WjR9awAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPartRequestApproval(PartRequestCase):
    def test_covered_parts_leave_at_once(self):
        self._stock(self.wh_lagos, 1)
        request = self._request(user=self.agent)
        request.action_confirm()
        self.assertFalse(request.sale_order_id)
        self.assertEqual(request.state, "confirmed")
        self.assertTrue(request.move_ids)

    def test_chargeable_parts_wait_for_the_agent(self):
        """Out of warranty: confirming makes a quotation; nothing moves until an
        agent records that the customer accepted; the delivery then belongs to
        the quotation's line (delivered quantity, invoicing)."""
        self._stock(self.wh_lagos, 1)
        self.ticket.warranty_decision = "chargeable"
        request = self._request(user=self.agent)
        self.assertTrue(request.chargeable)
        request.action_confirm()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.parts_state, "new")
        self.assertFalse(request.move_ids)
        order = request.sale_order_id.sudo()
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.require_signature)
        self.assertEqual(order.partner_id, self.customer_ng)
        self.assertEqual(order.order_line.product_id, self.part)
        self.assertEqual(order.order_line.price_unit, 500.0)
        self.assertEqual(order.aftersales_part_request_id, request)

        request.action_customer_accepted()
        self.assertEqual(order.state, "sale")
        self.assertEqual(request.state, "confirmed")
        self.assertTrue(request.customer_accepted_date)
        # the request delivers, not the order's own procurement
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self.assertEqual(len(delivery), 1)
        self.assertEqual(order.order_line.move_ids, delivery.move_ids)
        self.assertEqual(request.shipment_ids.export_reason, "sale")
        self._done(delivery)
        self.assertEqual(order.order_line.qty_delivered, 1)
        cost = self.env["aftersales.cost.line"].search(
            [
                ("source_model", "=", "stock.picking"),
                ("source_res_id", "=", delivery.id),
            ]
        )
        self.assertEqual(cost.payer, "customer")

    def test_cancel_cancels_the_quotation(self):
        self.ticket.warranty_decision = "chargeable"
        request = self._request()
        request.action_confirm()
        request.action_cancel()
        self.assertEqual(request.sale_order_id.state, "cancel")
        self.assertEqual(request.state, "cancel")


@tagged("post_install", "-at_install")
class TestPartRequestPortalAcceptance(HttpCase, PartRequestCase):
    def test_customer_signs_online(self):
        """The customer signs the quotation on the portal (Odoo's online
        acceptance, the link of the quotation's email): the order is confirmed
        and the parts are procured."""
        self._stock(self.wh_hamburg, 2)
        self.ticket.warranty_decision = "chargeable"
        request = self._request()
        request.action_confirm()
        order = request.sale_order_id
        token = order._portal_ensure_token()
        response = self.url_open(
            f"/my/orders/{order.id}/accept",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "access_token": token,
                        "name": "Ngozi Adeyemi",
                        "signature": SIGNATURE,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("error", response.json()["result"])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Ngozi Adeyemi")
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.line_ids.warehouse_id, self.wh_hamburg)
        self.assertTrue(self._pickings(request, self.wh_hamburg, "outgoing"))

    def test_wrong_token_accepts_nothing(self):
        self.ticket.warranty_decision = "chargeable"
        request = self._request()
        request.action_confirm()
        order = request.sale_order_id
        order._portal_ensure_token()
        response = self.url_open(
            f"/my/orders/{order.id}/accept",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "access_token": "not-the-token",
                        "name": "Someone",
                        "signature": SIGNATURE,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("error", response.json()["result"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.move_ids)
