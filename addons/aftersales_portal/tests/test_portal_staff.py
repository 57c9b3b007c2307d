import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalStaff(PortalNetworkMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def _csrf(self):
        page = self.url_open("/my/staff").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_dealer_admin_invites_deactivates_promotes(self):
        self.authenticate("p_dealer_admin", "p_dealer_admin")
        page = self.url_open("/my/staff").text
        self.assertIn(self.user_staff.partner_id.name, page)
        self.assertNotIn(self.user_sibling.partner_id.name, page)
        csrf = self._csrf()
        response = self.url_open(
            "/my/staff/invite",
            data={
                "csrf_token": csrf,
                "name": "Jana Witt",
                "email": "jana.witt@elbe.example.com",
                "company_id": str(self.dealer.id),
            },
        )
        self.assertIn("The invitation was sent.", response.text)
        invited = self.env["res.users"].search(
            [("login", "=", "jana.witt@elbe.example.com")]
        )
        self.assertTrue(invited.share)
        self.assertEqual(invited.partner_id.parent_id, self.dealer)
        self.assertEqual(invited.aftersales_portal_scope, "staff")
        self.assertTrue(invited.partner_id.signup_type)  # invitation pending
        # deactivate and reactivate a login, make an admin
        staff = self.user_staff.partner_id
        self.url_open(f"/my/staff/{staff.id}/deactivate", data={"csrf_token": csrf})
        self.assertFalse(self.user_staff.active)
        self.url_open(f"/my/staff/{staff.id}/activate", data={"csrf_token": csrf})
        self.assertTrue(self.user_staff.active)
        self.url_open(f"/my/staff/{staff.id}/make_admin", data={"csrf_token": csrf})
        self.assertTrue(staff.aftersales_portal_admin)
        self.assertEqual(self.user_staff.aftersales_portal_scope, "dealer_admin")

    @mute_logger("odoo.http")
    def test_admin_cannot_manage_other_dealers(self):
        self.authenticate("p_dealer_admin", "p_dealer_admin")
        csrf = self._csrf()
        sibling = self.user_sibling.partner_id
        response = self.url_open(
            f"/my/staff/{sibling.id}/deactivate", data={"csrf_token": csrf}
        )
        self.assertTrue(response.url.endswith("/my"))
        self.assertTrue(self.user_sibling.active)
        response = self.url_open(
            "/my/staff/invite",
            data={
                "csrf_token": csrf,
                "name": "Intruder",
                "email": "intruder@example.com",
                "company_id": str(self.sibling.id),
            },
        )
        self.assertIn("You cannot invite staff for this company.", response.text)
        self.assertIn("intruder@example.com", response.text)  # input kept
        self.assertFalse(
            self.env["res.users"].search([("login", "=", "intruder@example.com")])
        )

    def test_distributor_admin_manages_below_staff_cannot(self):
        self.authenticate("p_distributor", "p_distributor")
        page = self.url_open("/my/staff").text
        self.assertIn(self.user_staff.partner_id.name, page)
        self.assertIn(self.user_sibling.partner_id.name, page)
        self.assertNotIn(self.user_other_dealer.partner_id.name, page)
        csrf = self._csrf()
        sibling = self.user_sibling.partner_id
        self.url_open(f"/my/staff/{sibling.id}/deactivate", data={"csrf_token": csrf})
        self.assertFalse(self.user_sibling.active)
        self.authenticate("p_staff", "p_staff")
        self.assertTrue(self.url_open("/my/staff").url.endswith("/my"))

    @mute_logger("odoo.http", "odoo.addons.base.models.res_users")
    def test_deactivated_login_cannot_sign_in(self):
        self.user_staff.active = False
        uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "p_staff", "p_staff", {}
        )
        self.assertFalse(uid)
