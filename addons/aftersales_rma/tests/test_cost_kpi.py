from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common_claim import ClaimCase
from .test_cost_line import CostCase


@tagged("post_install", "-at_install")
class TestCostKpi(CostCase, ClaimCase):
    """The cost KPIs of the service manager, in the company's currency (USD):
    per case, team, country and dealer in the reports, per campaign and in the
    digest. Ticket A (Hamburg, dealer) costs 100 EUR (125 USD, warranty) and
    40 USD (customer); ticket B (Shanghai, dealer) 60 USD (warranty); ticket C
    (Hamburg) nothing. The campaign has A and C."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["aftersales.ticket"]
        cls.ticket_a = cls.ticket
        cls.ticket_a.dealer_id = cls.dealer_hh
        cls.ticket_b = Ticket.create(
            {
                "subject": "No image on start",
                "partner_id": cls.customer_de.id,
                "team_id": cls.team_sh.id,
                "dealer_id": cls.dealer_hh.id,
            }
        )
        cls.ticket_c = Ticket.create(
            {
                "subject": "Question on the manual",
                "partner_id": cls.customer_de.id,
                "team_id": cls.team_de.id,
                "dealer_id": False,
            }
        )
        cls.tickets = cls.ticket_a | cls.ticket_b | cls.ticket_c
        Campaign = cls.env["aftersales.campaign"]
        cls.campaign = Campaign.create(
            {"name": "Probe firmware 2.1", "product_id": cls.product_us200.id}
        )
        cls.campaign_empty = Campaign.create(
            {"name": "Battery check", "product_id": cls.product_us200.id}
        )
        (cls.ticket_a | cls.ticket_c).campaign_id = cls.campaign

    def _costs(self):
        self._manual(ticket_id=self.ticket_a.id)  # 100 EUR = 125 USD, warranty
        self._manual(
            ticket_id=self.ticket_a.id,
            cost_type="other",
            amount=40.0,
            currency_id=self.usd.id,
            payer="customer",
            date=date(2026, 3, 12),
        )
        self._manual(
            ticket_id=self.ticket_b.id,
            amount=60.0,
            currency_id=self.usd.id,
            date=date(2026, 3, 31),
        )
        # after the period of the digest below
        self._manual(
            ticket_id=self.ticket_b.id,
            cost_type="other",
            amount=15.0,
            currency_id=self.usd.id,
            payer="dealer",
            date=date(2026, 4, 1),
        )
        self.env.flush_all()

    def test_cost_per_case_team_and_country(self):
        self._costs()
        Report = self.env["aftersales.ticket.report"].with_user(self.manager)
        rows = Report.search([("ticket_id", "in", self.tickets.ids)])
        figures = {
            row.ticket_id: (row.cost_total, row.cost_warranty, row.cost_average)
            for row in rows
        }
        self.assertEqual(
            figures,
            {
                self.ticket_a: (165.0, 125.0, 165.0),
                self.ticket_b: (75.0, 60.0, 75.0),
                self.ticket_c: (0.0, 0.0, 0.0),
            },
        )
        self.assertEqual(rows.currency_id, self.usd)
        by_team = {
            team: (total, warranty, average, count)
            for team, total, warranty, average, count in Report._read_group(
                [("ticket_id", "in", self.tickets.ids)],
                ["team_id"],
                [
                    "cost_total:sum",
                    "cost_warranty:sum",
                    "cost_average:avg",
                    "ticket_count:sum",
                ],
            )
        }
        self.assertEqual(by_team[self.team_de], (165.0, 125.0, 82.5, 2))
        self.assertEqual(by_team[self.team_sh], (75.0, 60.0, 75.0, 1))
        # the region: the tickets' country (the customer's)
        [(country, total, average)] = Report._read_group(
            [("ticket_id", "in", self.tickets.ids)],
            ["country_id"],
            ["cost_total:sum", "cost_average:avg"],
        )
        self.assertEqual(country, self.env.ref("base.de"))
        self.assertEqual((total, average), (240.0, 80.0))

    def test_dealer_cost_and_claims(self):
        self._costs()
        with freeze_time("2026-05-10"):
            claim = self._dealer_claim(invoice_ref="INV-KPI-1")
            claim.action_submit()
            claim.line_ids.decision = "approved"
            claim.action_adjudicate()
            draft = self._dealer_claim(invoice_ref="INV-KPI-2")
        self.assertEqual(claim.state, "approved")
        self.assertEqual(draft.state, "draft")
        # 900 EUR parts + 2 h at 60 EUR, at 0.8 EUR per USD
        self.assertAlmostEqual(claim.amount_approved_company, 1275.0, places=2)
        self.env.flush_all()
        Report = self.env["aftersales.dealer.report"].with_user(self.manager)
        [(tickets, cost, claims, approved, currency)] = Report._read_group(
            [("dealer_id", "=", self.dealer_hh.id)],
            [],
            [
                "ticket_count:sum",
                "cost_total:sum",
                "claim_count:sum",
                "claim_amount_approved:sum",
                "currency_id:array_agg",
            ],
        )
        # the money rows count no ticket nor claim
        self.assertEqual((tickets, claims), (2, 1))
        self.assertEqual(cost, 240.0)
        self.assertAlmostEqual(approved, 1275.0, places=2)
        self.assertEqual(set(currency), {self.usd.id})
        # the cost on the tickets' creation dates (today), as their tickets
        by_month = dict(
            Report._read_group(
                [("dealer_id", "=", self.dealer_hh.id)],
                ["date:month"],
                ["cost_total:sum"],
            )
        )
        self.assertEqual(
            {day.month: total for day, total in by_month.items() if total},
            {self.ticket_a.create_date.month: 240.0},
        )

    def test_campaign_cost(self):
        self._costs()
        campaigns = (self.campaign | self.campaign_empty).with_user(self.manager)
        self.assertEqual(campaigns.mapped("cost_total"), [165.0, 0.0])
        self.assertEqual(self.campaign.cost_currency_id, self.usd)
        # an engineer reads the same figure, also of the tickets of other teams
        self.ticket_b.campaign_id = self.campaign
        self.env.flush_all()
        self.campaign.invalidate_recordset(["cost_total"])
        self.assertEqual(self.campaign.with_user(self.agent).cost_total, 240.0)

    def test_campaign_cost_in_the_same_queries_for_many(self):
        self._costs()
        campaigns = self.campaign | self.campaign_empty
        self.env.invalidate_all()
        # the user and the company read again, then the campaigns' tickets,
        # their cost lines and the campaigns' currency: as many for two
        with self.assertQueryCount(5):
            self.assertEqual(self.campaign.cost_total, 165.0)
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            self.assertEqual(campaigns.mapped("cost_total"), [165.0, 0.0])

    def test_digest_cost_of_the_period(self):
        digest = self.env.ref("digest.digest_digest_default")
        period = digest.with_context(
            start_datetime=datetime(2026, 3, 1), end_datetime=datetime(2026, 4, 1)
        ).with_company(self.company)
        # the demo database may have costs in the period already
        before = period.kpi_aftersales_cost_value
        period.invalidate_model(["kpi_aftersales_cost_value"])
        self._costs()
        self.assertAlmostEqual(
            period.kpi_aftersales_cost_value - before, 225.0, places=2
        )
        self.assertEqual(period._fields["kpi_aftersales_cost_value"].type, "monetary")
        digest.kpi_aftersales_cost = True
        kpis = digest._compute_kpis(self.company, self.manager)
        self.assertIn("kpi_aftersales_cost", [kpi["kpi_name"] for kpi in kpis])

    def test_access(self):
        self._costs()
        # an engineer reads the cost of the cases of his teams only (the report's
        # rules); the dealer scorecards are the managers'
        Report = self.env["aftersales.ticket.report"].with_user(self.agent_de)
        visible = Report.search([("ticket_id", "in", self.tickets.ids)])
        self.assertTrue(visible)
        self.assertEqual(set(visible.mapped("team_id")), {self.team_de})
        [(seen,)] = Report._read_group(
            [("ticket_id", "in", self.tickets.ids)], [], ["cost_total:sum"]
        )
        self.assertAlmostEqual(seen, 165.0, places=2)
        with self.assertRaises(AccessError):
            self.env["aftersales.dealer.report"].with_user(self.agent_de).search([])
        # a manager of another company sees nothing of this company's costs
        other = self.env["res.company"].create({"name": "Other Brand Ltd"})
        manager_other = new_test_user(
            self.env,
            login="as_manager_other",
            groups="aftersales_service.aftersales_group_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        Report = self.env["aftersales.ticket.report"].with_user(manager_other)
        self.assertFalse(Report.search([("ticket_id", "in", self.tickets.ids)]))
        [(total,)] = Report._read_group([], [], ["cost_total:sum"])
        self.assertFalse(total)
        Dealer = self.env["aftersales.dealer.report"].with_user(manager_other)
        self.assertFalse(Dealer.search([("dealer_id", "=", self.dealer_hh.id)]))
        digest = (
            self.env.ref("digest.digest_digest_default")
            .with_user(manager_other)
            .with_company(other)
            .with_context(
                start_datetime=datetime(2026, 3, 1), end_datetime=datetime(2026, 4, 1)
            )
        )
        self.assertEqual(digest.kpi_aftersales_cost_value, 0.0)
