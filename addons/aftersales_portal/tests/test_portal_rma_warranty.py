import re
from datetime import datetime

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalRmaWarranty(PortalNetworkMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def setUp(self):
        super().setUp()
        self.env["aftersales.portal.rate.hit"].sudo().search([]).unlink()

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def test_warranty_list(self):
        self._login(self.user_distributor)
        page = self.url_open("/my/warranties").text
        self.assertEqual(page.count("o_aftersales_warranty_row"), 2)
        self.assertIn("PS-DEALER-1", page)
        self.assertIn("PS-SIBLING-1", page)
        self.assertNotIn("PS-OTHER-1", page)
        values = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_warranty_count"]}
        )
        self.assertEqual(values["aftersales_warranty_count"], 2)

    def test_rma_list_page_and_tracking(self):
        rma = self.docs["dealer"]["aftersales.rma"]
        self._login(self.user_staff)
        page = self.url_open("/my/rmas").text
        self.assertEqual(page.count("o_aftersales_rma_row"), 1)
        self.assertIn(rma.name, page)
        page = self.url_open(f"/my/rmas/{rma.id}").text
        self.assertIn("TRKDEALER", page)
        self.assertIn("Departed", page)
        self.assertIn("o_aftersales_tracking_event", page)
        values = self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "aftersales_rma_count",
                    "aftersales_dashboard_rma_awaiting_return",
                ]
            },
        )
        self.assertEqual(values["aftersales_rma_count"], 1)
        self.assertEqual(values["aftersales_dashboard_rma_awaiting_return"], 0)

    @mute_logger("odoo.http")
    def test_foreign_rma_and_papers_redirect(self):
        other = self.docs["other"]["aftersales.rma"]
        shipment = self.docs["other"]["aftersales.shipment"]
        self._login(self.user_staff)
        response = self.url_open(f"/my/rmas/{other.id}")
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn(other.name, response.text)
        response = self.url_open(f"/my/rmas/shipment/{shipment.id}/invoice")
        self.assertTrue(response.url.endswith("/my"))

    def test_public_warranty_check_no_personal_data(self):
        response = self.url_open("/warranty?serial=PS-DEALER-1")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_aftersales_warranty_answer", response.text)
        self.assertIn("Portal Scanner", response.text)
        self.assertNotIn("Altona Clinic", response.text)
        self.assertNotIn("Elbe Dealer", response.text)
        response = self.url_open("/warranty?serial=NOPE-404")
        self.assertIn("This serial number is not registered.", response.text)

    def test_public_warranty_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "aftersales_portal.warranty_rate_limit", "3"
        )
        for _index in range(3):
            self.assertEqual(
                self.url_open("/warranty?serial=PS-DEALER-1").status_code, 200
            )
        response = self.url_open("/warranty?serial=PS-DEALER-1")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many checks from your address", response.text)
        # the page without a serial still opens
        self.assertEqual(self.url_open("/warranty").status_code, 200)
        # counted in the database, for every server process: 3 answers, no more
        Hit = self.env["aftersales.portal.rate.hit"].sudo()
        self.assertEqual(Hit.search_count([("key", "=", "warranty:127.0.0.1")]), 3)

    def test_rate_limit_window_and_keys(self):
        Hit = self.env["aftersales.portal.rate.hit"].sudo()
        with freeze_time("2026-12-03 10:00:00"):
            self.assertTrue(Hit._allow("warranty:10.0.0.1", 2, 60))
        with freeze_time("2026-12-03 10:00:30"):
            self.assertTrue(Hit._allow("warranty:10.0.0.1", 2, 60))
            self.assertFalse(Hit._allow("warranty:10.0.0.1", 2, 60))
            self.assertFalse(Hit._allow("warranty:10.0.0.1", 2, 60), "not counted")
            self.assertTrue(Hit._allow("warranty:10.0.0.2", 2, 60), "another address")
        with freeze_time("2026-12-03 10:01:01"):
            # the first hit left the window: one more answer
            self.assertTrue(Hit._allow("warranty:10.0.0.1", 2, 60))
            self.assertFalse(Hit._allow("warranty:10.0.0.1", 2, 60))
            # the address's hits older than the window are gone
            self.assertEqual(
                Hit.search([("key", "=", "warranty:10.0.0.1")]).mapped("hit_at"),
                [datetime(2026, 12, 3, 10, 1, 1), datetime(2026, 12, 3, 10, 0, 30)],
            )

    def test_dealer_api_many_serials(self):
        self._login(self.user_staff)
        result = self.make_jsonrpc_request(
            "/aftersales/warranty/check",
            {"serials": ["PS-DEALER-1", "PS-OTHER-1", "UNKNOWN-1", None]},
        )
        statuses = [answer["status"] for answer in result["results"]]
        self.assertEqual(len(statuses), 4)
        self.assertEqual(statuses[2:], ["unknown", "unknown"])
        self.assertNotIn("dealer", result["results"][0])

    def _csrf(self, url):
        page = self.url_open(url).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_customer_registers_a_serial_with_invoice(self):
        lot = self.env["stock.lot"].create(
            {"name": "PS-NEW-1", "product_id": self.product.id}
        )
        self.authenticate("p_customer", "p_customer")
        csrf = self._csrf("/my/warranties/register")
        response = self.url_open(
            "/my/warranties/register",
            data={
                "csrf_token": csrf,
                "serial": "PS-NEW-1",
                "purchase_date": "2026-01-15",
                "purchase_place": "Hamburg",
                "invoice_ref": "INV-77",
            },
            files={"invoice": ("invoice.pdf", b"%PDF-1.4 test", "application/pdf")},
        )
        registration = self.env["aftersales.warranty"].search([("lot_id", "=", lot.id)])
        self.assertEqual(len(registration), 1)
        self.assertTrue(response.url.endswith(f"/my/warranties/{registration.id}"))
        self.assertIn("o_aftersales_coverage", response.text)
        self.assertEqual(registration.partner_id, self.user_customer.partner_id)
        self.assertEqual(registration.source, "customer")
        self.assertEqual(registration.proof_attachment_ids.name, "invoice.pdf")

    def test_register_validation(self):
        self.authenticate("p_sibling", "p_sibling")
        csrf = self._csrf("/my/warranties/register")
        cases = (
            ({"serial": "PS-NOPE-1"}, "This serial number is unknown."),
            (
                {"serial": "PS-DEALER-1"},
                "This serial number is already registered by another dealer.",
            ),
            (
                {"serial": "PS-SIBLING-1", "purchase_date": "2999-01-01"},
                "The purchase date cannot be in the future.",
            ),
        )
        for post, message in cases:
            with self.subTest(message=message):
                data = {
                    "csrf_token": csrf,
                    "purchase_date": "2026-01-15",
                    "purchase_place": "Typed place",
                    **post,
                }
                page = self.url_open("/my/warranties/register", data=data).text
                self.assertIn(message, page)
                self.assertIn("Typed place", page)
        response = self.url_open(
            "/my/warranties/register",
            data={"csrf_token": csrf, "serial": "PS-SIBLING-1"},
            files={"invoice": ("page.svg", b"<svg/>", "image/svg+xml")},
        )
        self.assertIn("this type of file is not accepted", response.text)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_dealer_requests_rma_for_ticket(self):
        lot = self.env["stock.lot"].create(
            {"name": "PS-RMA-1", "product_id": self.product.id}
        )
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Needs a repair",
                "partner_id": self.customer.id,
                "dealer_id": self.dealer.id,
                "product_id": self.product.id,
                "lot_id": lot.id,
            }
        )
        self.authenticate("p_sibling", "p_sibling")
        csrf = self._csrf("/my/tickets/new")
        response = self.url_open(
            f"/my/tickets/{ticket.id}/request_rma",
            data={"csrf_token": csrf, "reason": "Forged"},
        )
        self.assertTrue(response.url.endswith("/my"))
        self.assertFalse(ticket.rma_ids)
        self.authenticate("p_staff", "p_staff")
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("o_aftersales_request_rma", page)
        csrf = self._csrf("/my/tickets/new")
        response = self.url_open(
            f"/my/tickets/{ticket.id}/request_rma",
            data={"csrf_token": csrf, "reason": "Probe cable broken"},
        )
        rma = ticket.rma_ids
        self.assertEqual(len(rma), 1)
        self.assertTrue(response.url.endswith(f"/my/rmas/{rma.id}"))
        self.assertEqual(rma.state, "submitted")
        self.assertEqual(rma.line_ids.lot_id, lot)
        self.assertNotEqual(rma.user_id, self.user_staff)
        self.assertIn("Probe cable broken", "".join(rma.message_ids.mapped("body")))
        # once requested, the ticket offers no second request
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertNotIn("o_aftersales_request_rma", page)
        self.assertIn(rma.name, page)
