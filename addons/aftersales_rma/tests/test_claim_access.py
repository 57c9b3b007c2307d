from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
class TestClaimAccess(ClaimCase):
    """Who sees and changes dealer claims and their rate table."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_sh = cls.env["aftersales.ticket"].create(
            {
                "subject": "Shanghai case",
                "partner_id": cls.customer_de.id,
                "team_id": cls.team_sh.id,
            }
        )
        cls.ticket_de = cls.env["aftersales.ticket"].create(
            {
                "subject": "Hamburg case",
                "partner_id": cls.customer_de.id,
                "team_id": cls.team_de.id,
            }
        )

    def _claims(self):
        claim_sh = self._dealer_claim(ticket_id=self.ticket_sh.id)
        claim_de = self._dealer_claim(ticket_id=self.ticket_de.id)
        claim_free = self._dealer_claim()
        return claim_sh, claim_de, claim_free

    def test_service_user_sees_claims_like_tickets(self):
        claim_sh, claim_de, claim_free = self._claims()
        Claim = self.env["aftersales.claim"].with_user(self.agent_de)
        visible = Claim.search([("id", "in", (claim_sh | claim_de | claim_free).ids)])
        self.assertEqual(visible, claim_de | claim_free)
        with self.assertRaises(AccessError):
            claim_sh.with_user(self.agent_de).read(["name"])
        with self.assertRaises(AccessError):
            claim_sh.line_ids.with_user(self.agent_de).read(["amount_claimed"])
        # and may not delete a claim
        with self.assertRaises(AccessError):
            claim_de.with_user(self.agent_de).unlink()
        # a manager sees all three
        visible = Claim.with_user(self.manager).search(
            [("id", "in", (claim_sh | claim_de | claim_free).ids)]
        )
        self.assertEqual(visible, claim_sh | claim_de | claim_free)

    def test_service_user_enters_claim(self):
        claim = (
            self.env["aftersales.claim"]
            .with_user(self.agent_de)
            .create(
                {
                    "dealer_id": self.dealer_hh.id,
                    "lot_id": self.lot.id,
                    "ticket_id": self.ticket_de.id,
                    "failure_date": "2026-05-04",
                    "repair_date": "2026-05-06",
                    "line_ids": [(0, 0, {"cost_type": "labour"})],
                }
            )
        )
        self.assertTrue(claim.name.startswith("CLM"))
        self.assertEqual(claim.currency_id, self.eur)
        # flat-rate time of the category × the German hourly rate
        self.assertEqual(claim.line_ids.flat_hours, 2.0)
        self.assertEqual(claim.amount_claimed, 120.0)

    def test_service_user_cannot_configure_rates(self):
        with self.assertRaises(AccessError):
            self.rate_de.with_user(self.agent_de).write({"hourly_rate": 90.0})
        self.rate_de.with_user(self.manager).write({"hourly_rate": 65.0})

    def test_finance_reads_everything_changes_no_configuration(self):
        claim_sh, claim_de, claim_free = self._claims()
        Claim = self.env["aftersales.claim"].with_user(self.finance)
        visible = Claim.search([("id", "in", (claim_sh | claim_de | claim_free).ids)])
        self.assertEqual(visible, claim_sh | claim_de | claim_free)
        lines = claim_sh.line_ids.with_user(self.finance).read(["amount_claimed"])
        self.assertEqual(sum(line["amount_claimed"] for line in lines), 1020.0)
        self.ticket_sh.with_user(self.finance).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_sh.with_user(self.finance).write({"subject": "changed"})
        with self.assertRaises(AccessError):
            self.rate_de.with_user(self.finance).write({"hourly_rate": 90.0})
        with self.assertRaises(AccessError):
            self.team_de.with_user(self.finance).write({"name": "changed"})
        with self.assertRaises(AccessError):
            self.env["aftersales.claim"].with_user(self.finance).create(
                {
                    "dealer_id": self.dealer_hh.id,
                    "failure_date": "2026-05-04",
                    "repair_date": "2026-05-06",
                }
            )
        with self.assertRaises(AccessError):
            claim_de.line_ids.with_user(self.finance).write({"price_unit": 1.0})

    def test_other_company_claims_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        outsider = new_test_user(
            self.env,
            login="as_other_mgr",
            groups="aftersales_service.aftersales_group_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        claim = self._dealer_claim()
        self.assertFalse(
            self.env["aftersales.claim"]
            .with_user(outsider)
            .search([("id", "=", claim.id)])
        )
        with self.assertRaises(AccessError):
            claim.with_user(outsider).read(["name"])
