import re

from odoo import fields
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import file_open, mute_logger

from .common import PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalTicketFormHelp(PortalNetworkMixin, HttpCase):
    """The JSON routes of the new-ticket form's script: the live serial check
    and the articles suggested for the chosen product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        Article = cls.env["aftersales.article"]
        template = cls.product.product_tmpl_id
        cls.for_dealers = Article.create(
            {
                "name": "Calibrating the probe",
                "audience": "dealers",
                "published": True,
                "product_tmpl_ids": [(6, 0, template.ids)],
            }
        )
        cls.for_customers = Article.create(
            {
                "name": "Cleaning the screen",
                "audience": "customers",
                "published": True,
                "product_tmpl_ids": [(6, 0, template.ids)],
            }
        )
        cls.for_both = Article.create(
            {
                "name": "Updating the firmware",
                "audience": "both",
                "published": True,
                "product_tmpl_ids": [(6, 0, template.ids)],
            }
        )
        cls.draft = Article.create(
            {
                "name": "Unreleased firmware notes",
                "audience": "both",
                "product_tmpl_ids": [(6, 0, template.ids)],
            }
        )
        # a category of its own, so that no article reaches it by "All"
        category = cls.env["product.category"].create({"name": "Portal Printers"})
        cls.other_product = cls.env["product.product"].create(
            {
                "name": "Portal Printer",
                "default_code": "PP-1",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": category.id,
            }
        )
        cls.for_other_product = Article.create(
            {
                "name": "Changing the printer's ribbon",
                "audience": "both",
                "published": True,
                "product_tmpl_ids": [(6, 0, cls.other_product.product_tmpl_id.ids)],
            }
        )

        cls.env["aftersales.warranty.policy"].create(
            {
                "name": "Scanner 24 months, half the labour",
                "product_tmpl_id": template.id,
                "duration_months": 24,
                "start_basis": "registration",
                "parts_coverage": 100.0,
                "labour_coverage": 50.0,
            }
        )
        lot = cls.env["stock.lot"].create(
            {"name": "PS-FORM-1", "product_id": cls.product.id}
        )
        cls.warranty = cls.env["aftersales.warranty"].create(
            {
                "lot_id": lot.id,
                "partner_id": cls.customer.id,
                "dealer_id": cls.dealer.id,
                "purchase_date": fields.Date.today(),
            }
        )

    def _suggest(self, product_id):
        return self.make_jsonrpc_request(
            "/my/articles/suggest", {"product_id": product_id}
        )

    def _names(self, product_id):
        return {article["name"] for article in self._suggest(product_id)}

    def test_dealer_gets_dealer_articles_of_the_product(self):
        self.authenticate("p_staff", "p_staff")
        result = self._suggest(self.product.id)
        self.assertEqual(
            {a["name"] for a in result},
            {"Calibrating the probe", "Updating the firmware"},
        )
        by_name = {a["name"]: a for a in result}
        self.assertEqual(
            by_name["Calibrating the probe"]["url"],
            f"/my/articles/{self.for_dealers.id}",
        )
        # the link opens for the dealer
        page = self.url_open(by_name["Calibrating the probe"]["url"])
        self.assertIn("Calibrating the probe", page.text)

    def test_customer_does_not_get_dealer_articles(self):
        self.authenticate("p_customer", "p_customer")
        self.assertEqual(
            self._names(self.product.id),
            {"Cleaning the screen", "Updating the firmware"},
        )

    def test_article_of_another_product_is_not_suggested(self):
        self.authenticate("p_staff", "p_staff")
        self.assertNotIn("Changing the printer's ribbon", self._names(self.product.id))
        self.assertEqual(
            self._names(self.other_product.id), {"Changing the printer's ribbon"}
        )

    def test_no_product_or_a_product_the_form_does_not_offer(self):
        self.authenticate("p_staff", "p_staff")
        not_offered = self.env["product.product"].create(
            {"name": "Cable", "type": "consu", "tracking": "none"}
        )
        self.for_both.product_tmpl_ids |= not_offered.product_tmpl_id
        for product_id in (False, 0, "abc", [self.product.id], not_offered.id):
            self.assertEqual(self._suggest(product_id), [], product_id)

    def test_at_most_five(self):
        self.env["aftersales.article"].create(
            [
                {
                    "name": f"Dealer note {i}",
                    "audience": "dealers",
                    "published": True,
                    "product_tmpl_ids": [(6, 0, self.product.product_tmpl_id.ids)],
                }
                for i in range(6)
            ]
        )
        self.authenticate("p_staff", "p_staff")
        result = self._suggest(self.product.id)
        self.assertEqual(len(result), 5)
        self.assertNotIn("Cleaning the screen", {a["name"] for a in result})

    @mute_logger("odoo.http")
    def test_unauthenticated_calls_are_refused(self):
        for route, params in (
            ("/my/articles/suggest", {"product_id": self.product.id}),
            ("/my/tickets/check_serial", {"serial": "PS-DEALER-1"}),
        ):
            with self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request(route, params)
            self.assertEqual(caught.exception.code, 100, route)  # session expired

    def test_check_serial_answers_with_decision_and_product(self):
        self.assertTrue(self.warranty.date_end)
        self.authenticate("p_staff", "p_staff")
        answer = self.make_jsonrpc_request(
            "/my/tickets/check_serial", {"serial": " PS-FORM-1 "}
        )
        self.assertEqual(answer["status"], "in")
        self.assertEqual(answer["decision"], "partial")  # half the labour
        self.assertEqual(answer["coverage"]["labour"], 50.0)
        self.assertEqual(answer["date_end"], str(self.warranty.date_end))
        self.assertEqual(answer["product_id"], self.product.id)
        self.assertNotIn("dealer", answer)  # no data of the dealer chain
        unknown = self.make_jsonrpc_request(
            "/my/tickets/check_serial", {"serial": "NO-SUCH-SERIAL"}
        )
        self.assertEqual(unknown["status"], "unknown")
        self.assertFalse(unknown["decision"])
        self.assertFalse(unknown["product_id"])

    def test_script_texts_reach_the_page_in_chinese(self):
        """Every text of the form's script has its zh_CN translation, served
        to the website's pages (ir.http frontend modules)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        with file_open("aftersales_portal/static/src/js/ticket_form.js") as script:
            texts = set(re.findall(r'_t\(\s*"([^"]+)"', script.read()))
        self.assertIn("Under warranty", texts)
        self.authenticate("p_staff", "p_staff")
        body = self.url_open("/website/translations/test?lang=zh_CN").json()
        messages = {
            m["id"]: m["string"]
            for m in body["modules"]["aftersales_portal"]["messages"]
        }
        self.assertEqual(messages["Under warranty"], "在保修期内")
        self.assertEqual(texts - set(messages), set())
