import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PNG, PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalTicketPages(PortalNetworkMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        cls.ticket = cls.docs["dealer"]["aftersales.ticket"]
        cls.ticket_sibling = cls.docs["sibling"]["aftersales.ticket"]
        cls.ticket_other = cls.docs["other"]["aftersales.ticket"]

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf(self, url="/my/tickets/new"):
        page = self.url_open(url).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_home_counters_agree_with_lists(self):
        counters = [
            "aftersales_ticket_count",
            "aftersales_dashboard_open_tickets",
            "aftersales_dashboard_sla_at_risk",
        ]
        for user, expected in (
            (self.user_distributor, 2),
            (self.user_staff, 1),
            (self.user_customer, 1),
            (self.user_other_dealer, 1),
        ):
            with self.subTest(user=user.login):
                self._login(user)
                values = self.make_jsonrpc_request(
                    "/my/counters", {"counters": counters}
                )
                self.assertEqual(values["aftersales_ticket_count"], expected)
                self.assertEqual(values["aftersales_dashboard_open_tickets"], expected)
                page = self.url_open("/my/tickets").text
                rows = page.count("o_aftersales_ticket_row")
                self.assertEqual(rows, expected)
                page = self.url_open("/my/tickets?filterby=open").text
                self.assertEqual(page.count("o_aftersales_ticket_row"), expected)

    def test_ticket_list_shows_only_visible_tickets(self):
        self._login(self.user_distributor)
        page = self.url_open("/my/tickets").text
        self.assertIn(self.ticket.name, page)
        self.assertIn(self.ticket_sibling.name, page)
        self.assertNotIn(self.ticket_other.name, page)
        # search, group and sort keep to the same tickets
        page = self.url_open(
            f"/my/tickets?search={self.ticket_sibling.name}&search_in=name"
        ).text
        self.assertEqual(page.count("o_aftersales_ticket_row"), 1)
        self.assertIn(self.ticket_sibling.name, page)
        page = self.url_open(
            "/my/tickets?groupby=dealer&sortby=deadline&filterby=all"
        ).text
        self.assertEqual(page.count("o_aftersales_ticket_row"), 2)
        self.assertIn("Spree Dealer", page)
        self.assertNotIn(self.ticket_other.name, page)
        # searching for a serial of another network finds nothing
        page = self.url_open("/my/tickets?search=PS-OTHER-1&search_in=serial").text
        self.assertEqual(page.count("o_aftersales_ticket_row"), 0)
        self.assertNotIn(self.ticket_other.name, page)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_foreign_ticket_redirects_to_my(self):
        for user, ticket in (
            (self.user_staff, self.ticket_sibling),
            (self.user_sibling, self.ticket),
            (self.user_distributor, self.ticket_other),
            (self.user_customer, self.ticket_sibling),
        ):
            with self.subTest(user=user.login):
                self._login(user)
                response = self.url_open(f"/my/tickets/{ticket.id}")
                self.assertTrue(response.url.endswith("/my"), response.url)
                self.assertNotIn(ticket.name, response.text)
                self.assertNotIn(ticket.subject, response.text)
        self._login(self.user_staff)
        response = self.url_open("/my/tickets/999999999")
        self.assertTrue(response.url.endswith("/my"))

    def test_ticket_page(self):
        self._login(self.user_staff)
        page = self.url_open(f"/my/tickets/{self.ticket.id}").text
        self.assertIn(self.ticket.subject, page)
        self.assertIn("o_aftersales_timeline", page)
        self.assertIn(self.ticket.stage_id.name, page)
        self.assertIn('id="discussion"', page)
        # the dealer of the ticket sees its customer's contact in full
        self.assertIn("+49 151 23454567", page)
        self.assertIn("technik@altona.example.com", page)

    def test_contact_masked_for_distributor_per_country(self):
        self._login(self.user_distributor)
        page = self.url_open(f"/my/tickets/{self.ticket.id}").text
        self.assertIn("+49 151 ****4567", page)
        self.assertIn("t****@altona.example.com", page)
        self.assertNotIn("23454567", page)
        self.env.ref("base.de").aftersales_mask_contact = False
        page = self.url_open(f"/my/tickets/{self.ticket.id}").text
        self.assertIn("+49 151 23454567", page)

    def test_dealer_files_ticket_for_new_customer_with_photo(self):
        self._login(self.user_staff)
        data = {
            "csrf_token": self._csrf(),
            "customer_mode": "new",
            "customer_name": "Wandsbek Vet Practice",
            "customer_email": "info@wandsbek-vet.example.com",
            "customer_country_id": str(self.env.ref("base.de").id),
            "product_id": str(self.product.id),
            "serial": "PS-DEALER-1",
            "subject": "No image on the screen",
            "description": "Since this morning <b>nothing</b> shows.",
        }
        response = self.url_open(
            "/my/tickets/new",
            data=data,
            files={"attachments": ("fault.png", PNG, "image/png")},
        )
        ticket = self.env["aftersales.ticket"].search(
            [("subject", "=", "No image on the screen")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertTrue(response.url.endswith(f"/my/tickets/{ticket.id}"))
        self.assertEqual(ticket.dealer_id, self.dealer)
        self.assertEqual(ticket.channel, "dealer")
        self.assertEqual(ticket.lot_id.name, "PS-DEALER-1")
        customer = ticket.partner_id
        self.assertEqual(customer.name, "Wandsbek Vet Practice")
        self.assertFalse(customer.parent_id)  # apart from the dealer's contacts
        self.assertNotEqual(customer.commercial_partner_id, self.dealer)
        self.assertIn("&lt;b&gt;nothing&lt;/b&gt;", ticket.description)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "fault.png")
        # the dealer's admin and the distributor see it, the sibling does not
        for user, visible in (
            (self.user_dealer_admin, True),
            (self.user_distributor, True),
            (self.user_sibling, False),
        ):
            found = (
                self.env["aftersales.ticket"]
                .with_user(user)
                .search([("id", "=", ticket.id)])
            )
            self.assertEqual(bool(found), visible, user.login)

    def test_customer_files_ticket(self):
        self._login(self.user_customer)
        response = self.url_open(
            "/my/tickets/new",
            data={
                "csrf_token": self._csrf(),
                "subject": "Battery does not charge",
                "description": "The battery stays at 0 %.",
            },
        )
        ticket = self.env["aftersales.ticket"].search(
            [("subject", "=", "Battery does not charge")]
        )
        self.assertTrue(response.url.endswith(f"/my/tickets/{ticket.id}"))
        self.assertEqual(ticket.partner_id, self.user_customer.partner_id)
        self.assertEqual(ticket.channel, "portal")
        self.assertFalse(ticket.dealer_id)

    def test_new_ticket_validation_keeps_input(self):
        self._login(self.user_staff)
        csrf = self._csrf()
        cases = (
            ({"subject": "", "description": "Typed text"}, "subject", None),
            (
                {"subject": "Typed subject", "serial": "NO-SUCH-SERIAL"},
                "serial",
                "This serial number is unknown.",
            ),
            (
                {
                    "subject": "Typed subject",
                    "customer_id": str(self.customer_other.id),
                },
                "customer_id",
                "Choose a customer of the list.",
            ),
        )
        for post, field, message in cases:
            with self.subTest(field=field):
                data = {"csrf_token": csrf, "description": "Typed text", **post}
                response = self.url_open("/my/tickets/new", data=data)
                self.assertEqual(response.status_code, 200)
                page = response.text
                self.assertIn("o_aftersales_form_errors", page)
                self.assertIn("Typed text", page)  # kept
                if message:
                    self.assertIn(message, page)
        response = self.url_open(
            "/my/tickets/new",
            data={
                "csrf_token": csrf,
                "subject": "With a program",
                "description": "x",
                "customer_id": str(self.customer.id),
            },
            files={
                "attachments": ("tool.exe", b"MZ\x90\x00", "application/octet-stream")
            },
        )
        self.assertIn("this type of file is not accepted", response.text)
        self.assertIn("With a program", response.text)
        self.assertFalse(
            self.env["aftersales.ticket"].search([("subject", "=", "With a program")])
        )

    @mute_logger("odoo.http")
    def test_new_ticket_needs_csrf(self):
        self._login(self.user_staff)
        response = self.url_open(
            "/my/tickets/new",
            data={"subject": "Forged", "description": "x"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["aftersales.ticket"].search([("subject", "=", "Forged")])
        )

    def test_ticket_list_query_count_is_constant(self):
        self._login(self.user_distributor)
        self.url_open("/my/tickets")  # caches (views, assets, session)
        self.url_open("/my/tickets")

        def count():
            before = self.cr.sql_log_count
            response = self.url_open("/my/tickets")
            self.assertEqual(response.status_code, 200)
            return self.cr.sql_log_count - before

        small = count()
        for index in range(15):
            self._documents(f"more{index}", self.sibling, self.customer_sibling)
        self.env.flush_all()
        self.url_open("/my/tickets")
        large = count()
        self.assertEqual(
            self.url_open("/my/tickets").text.count("o_aftersales_ticket_row"), 17
        )
        self.assertEqual(small, large)
