import json

from odoo.tests import HttpCase, tagged

from ..tools.track17_client import sign
from .tracking_common import WEBHOOK_SECRET, TrackingCommon


@tagged("post_install", "-at_install")
class TestTrackingWebhook(TrackingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_tracking()

    def push(self, body, signature, provider=None):
        provider = provider or self.provider
        return self.url_open(
            f"/aftersales/tracking/webhook/{provider.id}",
            data=body,
            headers={"Content-Type": "application/json", "sign": signature},
        )

    def test_push_is_stored_once(self):
        self.add_number("PUSH001", status="InTransit")
        shipment = self.make_shipment("PUSH001")
        body, signature = self.tracking_server.webhook_body("PUSH001", WEBHOOK_SECRET)
        response = self.push(body, signature)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["code"], 0)
        self.assertEqual(len(shipment.event_ids), 2)
        self.assertEqual(shipment.status, "in_transit")
        self.assertTrue(
            any("PUSH001" in body for body in self.rma.message_ids.mapped("body"))
        )
        # the same push again (providers retry): stored once
        response = self.push(body, signature)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(shipment.event_ids), 2)
        # a push with one more event adds one
        self.tracking_server.add_event(
            "PUSH001",
            ("2026-11-22T06:00:00Z", "OutForDelivery", None, "With courier", "Köln"),
        )
        body, signature = self.tracking_server.webhook_body("PUSH001", WEBHOOK_SECRET)
        self.assertEqual(self.push(body, signature).status_code, 200)
        self.assertEqual(len(shipment.event_ids), 3)
        self.assertEqual(shipment.status, "out_for_delivery")
        # polling afterwards finds nothing new
        self.tracking_server.registered.add("PUSH001")
        shipment.sudo()._tracking_write({"tracking_registered": True})
        self.env["aftersales.tracking.provider"]._cron_poll_shipments()
        self.assertEqual(len(shipment.event_ids), 3)

    def test_bad_secret_is_refused(self):
        self.add_number("PUSH002")
        shipment = self.make_shipment("PUSH002")
        body, _signature = self.tracking_server.webhook_body("PUSH002")
        for signature in ("", sign(body, "wrong-secret"), "0" * 64):
            with self.assertLogs(
                "odoo.addons.aftersales_rma.models.aftersales_tracking_provider",
                "WARNING",
            ):
                response = self.push(body, signature)
            self.assertEqual(response.status_code, 403)
        # the body changed after signing
        tampered = body.replace(b"Picked up", b"Delivered")
        with self.assertLogs(
            "odoo.addons.aftersales_rma.models.aftersales_tracking_provider", "WARNING"
        ):
            self.assertEqual(
                self.push(tampered, sign(body, WEBHOOK_SECRET)).status_code, 403
            )
        self.assertFalse(shipment.event_ids)
        self.assertEqual(shipment.status, "draft")

    def test_other_pushes(self):
        body = json.dumps(
            {"event": "TRACKING_STOPPED", "data": {"number": "X"}}
        ).encode()
        response = self.push(body, sign(body, WEBHOOK_SECRET))
        self.assertEqual(response.status_code, 200)
        self.assertIn("ignored", response.json()["message"])
        # unknown number: acknowledged (the provider must not retry forever)
        self.add_number("PUSH404")
        body, signature = self.tracking_server.webhook_body("PUSH404", WEBHOOK_SECRET)
        self.assertEqual(self.push(body, signature).status_code, 200)
        # not JSON
        body = b"<xml/>"
        self.assertEqual(self.push(body, sign(body, WEBHOOK_SECRET)).status_code, 400)
        # manual or missing provider
        self.assertEqual(
            self.push(
                body, sign(body, WEBHOOK_SECRET), self.manual_provider
            ).status_code,
            404,
        )
        response = self.url_open(
            "/aftersales/tracking/webhook/999999", data=body, headers={"sign": "x"}
        )
        self.assertEqual(response.status_code, 404)

    def test_push_customs_hold_notifies(self):
        events = [
            (
                "2026-11-22T08:00:00Z",
                "InTransit",
                "InTransit_CustomsRequiringInformation",
                "Held by customs",
                "Riyadh",
            ),
        ]
        self.add_number("PUSH003", events)
        shipment = self.make_shipment("PUSH003", direction="hub_to_customer")
        body, signature = self.tracking_server.webhook_body("PUSH003", WEBHOOK_SECRET)
        self.assertEqual(self.push(body, signature).status_code, 200)
        self.assertEqual(shipment.status, "customs_hold")
        self.assertTrue(
            shipment.message_ids.filtered(
                lambda m: self.customer in m.partner_ids and m.message_type == "comment"
            )
        )
