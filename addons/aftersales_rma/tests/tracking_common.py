from odoo.tests import new_test_user
from odoo.tests.common import _super_send

from odoo.addons.aftersales_rma.tools.track17_stub_server import TrackingServer

WEBHOOK_SECRET = "s3cret-for-tests"


class TrackingCommon:
    """Mixin: a local 17TRACK-style server, a provider on it, an RMA with a
    ticket and a customer."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test patch raises short timeouts to 10 s; our local server's
        # timeout tests need the provider's own (short) timeout
        server = getattr(cls, "tracking_server", None)
        if server and r.url.startswith(server.url):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setup_tracking(cls):
        cls.tracking_server = TrackingServer(api_key="test-17token").start()
        cls.addClassCleanup(cls.tracking_server.stop)
        env = cls.env
        cls.provider = env["aftersales.tracking.provider"].create(
            {
                "name": "17TRACK test",
                "provider_type": "track17",
                "api_url": cls.tracking_server.url,
                "api_key": "test-17token",
                "webhook_secret": WEBHOOK_SECRET,
                "timeout": 1,
                "sequence": 1,
            }
        )
        cls.manual_provider = env["aftersales.tracking.provider"].create(
            {"name": "Manual test", "provider_type": "manual", "sequence": 2}
        )
        cls.customer = env["res.partner"].create(
            {"name": "Klinikum Nord", "email": "klinikum@example.com", "lang": "en_US"}
        )
        cls.ticket = env["aftersales.ticket"].create(
            {"subject": "Probe broken", "partner_id": cls.customer.id}
        )
        product = env["product.product"].create({"name": "Probe", "type": "consu"})
        cls.rma = env["aftersales.rma"].create(
            {
                "partner_id": cls.customer.id,
                "ticket_id": cls.ticket.id,
                "line_ids": [(0, 0, {"product_id": product.id})],
            }
        )
        cls.group_user = "aftersales_service.aftersales_group_user"
        cls.agent = new_test_user(env, login="ship_agent", groups=cls.group_user)

    def setUp(self):
        super().setUp()
        self.tracking_server.reset()

    def add_number(self, number, events=None, **kw):
        events = events or [
            ("2026-11-20T08:00:00Z", "InfoReceived", None, "Label created", "Shenzhen"),
            (
                "2026-11-21T10:30:00Z",
                "InTransit",
                "InTransit_PickedUp",
                "Picked up",
                "Shenzhen",
            ),
        ]
        self.tracking_server.add_number(number, events, **kw)

    def make_shipment(self, number, direction="customer_to_hub", **vals):
        return self.env["aftersales.shipment"].create(
            {
                "rma_id": self.rma.id,
                "partner_id": self.customer.id,
                "direction": direction,
                "provider_id": self.provider.id,
                "tracking_ref": number,
                **vals,
            }
        )
