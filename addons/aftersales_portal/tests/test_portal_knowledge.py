from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalKnowledge(PortalNetworkMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        Article = cls.env["aftersales.article"]
        cls.for_dealers = Article.create(
            {
                "name": "Calibrating the probe",
                "audience": "dealers",
                "published": True,
                "product_tmpl_ids": [(6, 0, cls.product.product_tmpl_id.ids)],
            }
        )
        cls.for_customers = Article.create(
            {
                "name": "Cleaning the screen",
                "audience": "customers",
                "published": True,
                "categ_ids": [(6, 0, cls.product.categ_id.ids)],
            }
        )
        cls.draft = Article.create(
            {"name": "Unreleased firmware notes", "audience": "both"}
        )

    def test_audiences(self):
        Article = self.env["aftersales.article"]
        every = self.for_dealers | self.for_customers | self.draft
        for user, expected in (
            (self.user_staff, self.for_dealers),
            (self.user_distributor, self.for_dealers),
            (self.user_customer, self.for_customers),
        ):
            found = Article.with_user(user).search([("id", "in", every.ids)])
            self.assertEqual(found, expected.with_user(user), user.login)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_pages_and_suggestion(self):
        self.authenticate("p_staff", "p_staff")
        page = self.url_open("/my/articles").text
        self.assertIn("Calibrating the probe", page)
        self.assertNotIn("Cleaning the screen", page)
        self.assertNotIn("Unreleased firmware notes", page)
        page = self.url_open("/my/articles?search=calibrat").text
        self.assertEqual(page.count("o_aftersales_article_row"), 1)
        response = self.url_open(f"/my/articles/{self.draft.id}")
        self.assertTrue(response.url.endswith("/my"))
        page = self.url_open(f"/my/tickets/new?product_id={self.product.id}").text
        self.assertIn("o_aftersales_suggested_articles", page)
        self.assertIn("Calibrating the probe", page)
        self.authenticate("p_customer", "p_customer")
        page = self.url_open(f"/my/tickets/new?product_id={self.product.id}").text
        self.assertIn("Cleaning the screen", page)  # by the product's category
        self.assertNotIn("Calibrating the probe", page)
