from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalPoints(PortalNetworkMixin, HttpCase):
    """The dealer's incentive points on /my and /my/points: staff and the
    dealer's admin see their dealer's lines, a distributor admin those of the
    dealers below it, a sibling dealer, another network and end customers
    none of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        Points = cls.env["aftersales.dealer.points"]
        Points.search([]).unlink()  # the demo dealers' lines
        cls.lines = {
            key: Points.create(
                {
                    "dealer_id": dealer.id,
                    "points": points,
                    "note": f"Bonus of {dealer.name}",
                }
            )
            for key, dealer, points in (
                ("dealer", cls.dealer, 17),
                ("sibling", cls.sibling, 23),
                ("other", cls.other_dealer, 31),
            )
        }
        cls.other_company_line = Points.create(
            {
                "dealer_id": cls.dealer.id,
                "points": 99,
                "note": "Other brand bonus",
                "company_id": cls.other_company.id,
            }
        )

    def _visible(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        lines = self.env["aftersales.dealer.points"].with_user(user).search([])
        return {key for key, line in self.lines.items() if line in lines} | (
            {"other_company"} if self.other_company_line in lines else set()
        )

    def test_rules_follow_the_network(self):
        self.assertEqual(self._visible("p_staff"), {"dealer"})
        self.assertEqual(self._visible("p_dealer_admin"), {"dealer"})
        self.assertEqual(self._visible("p_sibling"), {"sibling"})
        self.assertEqual(self._visible("p_other_dealer"), {"other"})
        self.assertEqual(self._visible("p_distributor"), {"dealer", "sibling"})
        self.assertEqual(self._visible("p_customer"), set())
        self.assertEqual(self._visible("p_service"), {"dealer", "sibling", "other"})
        self.assertEqual(self._visible("p_other_company"), {"other_company"})
        with self.assertRaises(AccessError):
            self.lines["dealer"].with_user(self.user_staff).points = 1000
        with self.assertRaises(AccessError):
            self.lines["sibling"].with_user(self.user_staff).read(["points"])

    def test_home_shows_balance_and_last_lines(self):
        self.authenticate("p_staff", "p_staff")
        page = self.url_open("/my").text
        self.assertIn("o_aftersales_points", page)
        self.assertIn("Bonus of Elbe Dealer", page)
        self.assertIn(">17<", page)
        self.assertNotIn("Bonus of Spree Dealer", page)
        self.assertNotIn("Other brand bonus", page)
        self.authenticate("p_sibling", "p_sibling")
        page = self.url_open("/my").text
        self.assertIn("Bonus of Spree Dealer", page)
        self.assertNotIn("Bonus of Elbe Dealer", page)
        # the distributor admin: a balance per dealer below it
        self.authenticate("p_distributor", "p_distributor")
        page = self.url_open("/my/points").text
        self.assertIn("Bonus of Elbe Dealer", page)
        self.assertIn("Bonus of Spree Dealer", page)
        self.assertNotIn("Bonus of Santiago Dealer", page)
        self.assertEqual(page.count("o_aftersales_points_balance"), 2)

    def test_customer_has_no_points(self):
        self.authenticate("p_customer", "p_customer")
        self.assertNotIn("o_aftersales_points", self.url_open("/my").text)
        response = self.url_open("/my/points", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_reversal_on_my_points(self):
        Points = self.env["aftersales.dealer.points"]
        # the demo documents are not the test's business
        self.env.flush_all()
        for model in Points._points_source_models():
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = %s",
                    SQL.identifier(self.env[model]._table),
                    datetime(2000, 1, 1),
                )
            )
        self.env.invalidate_all()
        self.company.aftersales_points_five_star = 5
        ticket = self.docs["dealer"]["aftersales.ticket"]
        token = ticket._rating_get_access_token()
        ticket.rating_apply(5, token=token)
        earned = Points._book_points(datetime(2001, 1, 1))
        self.assertEqual(earned.mapped("points"), [5])
        ticket.rating_apply(2, token=token)
        reversal = Points._book_points(datetime(2001, 1, 1))
        self.assertEqual(reversal.reversal_of_id, earned)
        self.authenticate("p_staff", "p_staff")
        page = self.url_open("/my/points").text
        self.assertEqual(page.count("o_aftersales_points_row"), 3)
        self.assertEqual(page.count("o_aftersales_points_reversal"), 1)
        self.assertIn("rating is no longer 5 stars", page)
        self.assertIn("+5", page)
        self.assertIn("-5", page)
        self.assertIn(">17<", page, "17 + 5 - 5")
        self.assertIn(">17<", self.url_open("/my").text)
