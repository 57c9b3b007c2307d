from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestClaimAging(ClaimCase):
    """Open claims by age bucket and by whom they wait on. The view counts the
    age with the database's clock (which freezegun does not move): the tests set
    the submission dates from that clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("SELECT CURRENT_DATE")
        cls.db_today = cls.env.cr.fetchone()[0]

    def _claim(self, name, state_path, age, **values):
        lot = self._lot(f"US200-AGE-{name}")
        self._register(lot)
        claim = self._dealer_claim(lot, **values)
        if "submitted" in state_path:
            claim.action_submit()
        if "approved" in state_path:
            claim.line_ids.decision = "approved"
            claim.action_adjudicate()
        if "returned" in state_path:
            claim.action_return("Attach the invoice")
        if age is not None:
            claim.submit_date = self.db_today - timedelta(days=age)
        return claim

    def _rows(self, claims, user=None):
        self.env.flush_all()
        # the view's rows change with their claims: read them anew
        self.env.invalidate_all()
        Report = self.env["aftersales.claim.aging.report"]
        if user:
            Report = Report.with_user(user)
        rows = Report.search([("claim_id", "in", claims.ids)])
        return {
            row.claim_id: (row.age_days, row.age_bucket, row.waiting_on) for row in rows
        }

    def test_buckets_and_waiting_parties(self):
        draft = self._claim("D", [], None)
        returned = self._claim("R", ["submitted", "returned"], 8)
        fresh = self._claim("S7", ["submitted"], 7)
        month = self._claim("S30", ["submitted"], 30)
        old = self._claim("S31", ["submitted"], 31)
        to_pay = self._claim("A60", ["submitted", "approved"], 60)
        ancient = self._claim("A61", ["submitted", "approved"], 61)
        rows = self._rows(draft | returned | fresh | month | old | to_pay | ancient)
        self.assertEqual(
            rows,
            {
                draft: (0, "0_7", "dealer"),  # never submitted: since its creation
                returned: (8, "8_30", "dealer"),
                fresh: (7, "0_7", "brand"),
                month: (30, "8_30", "brand"),
                old: (31, "31_60", "brand"),
                to_pay: (60, "31_60", "finance"),
                ancient: (61, "over_60", "finance"),
            },
        )

    def test_waiting_for_the_faulty_part(self):
        self.rule_eu.return_faulty_part = True
        claim = self._claim("P", ["submitted", "approved"], 3)
        self.assertEqual(claim.part_return_state, "waiting")
        self.assertEqual(self._rows(claim)[claim][2], "parts")
        # paying before the part arrives is allowed: finance's turn
        self.company.aftersales_claim_pay_before_return = True
        self.assertEqual(self._rows(claim)[claim][2], "finance")

    def test_closed_claims_are_not_open(self):
        rejected = self._claim("X", ["submitted"], 5)
        rejected.line_ids.write({"decision": "rejected", "decision_reason": "Misuse"})
        rejected.action_adjudicate()
        paid = self._claim("PAID", ["submitted", "approved"], 5)
        bill = paid.with_user(self.finance).action_create_bills()
        self.assertEqual(self._rows(paid)[paid][2], "finance")  # billed, not posted
        bill.action_post()
        self.assertEqual(paid.state, "paid")
        self.assertEqual(self._rows(rejected | paid), {})

    def test_pivot_by_waiting_party_and_bucket(self):
        claims = (
            self._claim("G1", ["submitted"], 2)
            | self._claim("G2", ["submitted"], 40)
            | self._claim("G3", ["submitted"], 45)
        )
        self.env.flush_all()
        groups = self.env["aftersales.claim.aging.report"]._read_group(
            [("claim_id", "in", claims.ids)],
            ["waiting_on", "age_bucket"],
            ["claim_count:sum", "age_days:avg"],
        )
        self.assertEqual(
            sorted(groups), [("brand", "0_7", 1, 2.0), ("brand", "31_60", 2, 42.5)]
        )

    def test_who_sees_the_aging(self):
        """Finance sees all rows; a service user the claims of the tickets it
        sees; a portal user none."""
        ticket_other = self.env["aftersales.ticket"].create(
            {
                "subject": "Other team's case",
                "partner_id": self.customer_de.id,
                "team_id": self.team_de.id,
            }
        )
        claim = self._claim("V", ["submitted"], 3, ticket_id=ticket_other.id)
        outsider = new_test_user(
            self.env,
            login="as_aging_outsider",
            groups="aftersales_service.aftersales_group_user",
        )
        self.assertIn(claim, self._rows(claim, self.finance))
        self.assertIn(claim, self._rows(claim, self.manager))
        self.assertIn(claim, self._rows(claim, self.agent_de))
        self.assertNotIn(claim, self._rows(claim, outsider))
        portal = new_test_user(
            self.env, login="as_aging_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.env["aftersales.claim.aging.report"].with_user(portal).search([])
