from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalDemo(HttpCase):
    """The demo network's logins see the demo documents their place in the
    network gives them (when demo data is installed)."""

    def _claims_page(self, login):
        self.authenticate(login, login)
        return self.url_open("/my/claims").text

    def test_munich_dealer_follows_its_claims(self):
        claim = self.env.ref(
            "aftersales_rma.demo_claim_munich", raise_if_not_found=False
        )
        if not claim or not self.env.ref(
            "aftersales_portal.demo_user_isar_admin", raise_if_not_found=False
        ):
            return  # a database without demo data: nothing to check
        duplicate = self.env.ref("aftersales_rma.demo_claim_munich_duplicate")
        page = self._claims_page("isar")
        self.assertIn(claim.name, page)
        self.assertIn(duplicate.name, page)
        # the dealer's own claim page, with the reduced labour line
        self.authenticate("isar", "isar")
        response = self.url_open(f"/my/claims/{claim.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(claim.name, response.text)
        self.assertNotIn("/web/login", response.url)
        # a sibling dealer under the same distributor sees neither
        page = self._claims_page("nordklinik")
        self.assertNotIn(claim.name, page)
        self.assertNotIn(duplicate.name, page)
        response = self.url_open(f"/my/claims/{claim.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        # the distributor admin at the top of the network sees both
        page = self._claims_page("hk_admin")
        self.assertIn(claim.name, page)
        self.assertIn(duplicate.name, page)
