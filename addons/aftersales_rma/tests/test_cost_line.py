from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import RmaCase


class CostCase(RmaCase):
    """A ticket of the Hamburg team with an RMA, the team's analytic account and
    hourly cost, and the euro at a known rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.company.currency_id
        cls.eur.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.eur | cls.usd).ids)]
        ).unlink()
        # 1 USD = 0.8 EUR on 2026-03-01, 0.5 EUR from 2026-06-01
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.eur.id,
                    "name": "2026-03-01",
                    "rate": 0.8,
                    "company_id": cls.company.id,
                },
                {
                    "currency_id": cls.eur.id,
                    "name": "2026-06-01",
                    "rate": 0.5,
                    "company_id": cls.company.id,
                },
            ]
        )
        plan = cls.env["account.analytic.plan"].create({"name": "Service Regions"})
        cls.account_de = cls.env["account.analytic.account"].create(
            {"name": "Service DACH", "plan_id": plan.id, "company_id": cls.company.id}
        )
        cls.team_de.write({"analytic_account_id": cls.account_de.id, "hourly_cost": 60})
        cls.ticket = cls.env["aftersales.ticket"].create(
            {
                "subject": "Probe shows artefacts",
                "partner_id": cls.customer_de.id,
                "team_id": cls.team_de.id,
            }
        )
        cls.CostLine = cls.env["aftersales.cost.line"]

    def _manual(self, user=None, **values):
        vals = {
            "name": "Engineer's train ticket",
            "ticket_id": self.ticket.id,
            "cost_type": "travel",
            "amount": 100.0,
            "currency_id": self.eur.id,
            "date": date(2026, 3, 10),
        }
        vals.update(values)
        CostLine = self.CostLine.with_user(user) if user else self.CostLine
        return CostLine.create(vals)


@tagged("post_install", "-at_install")
class TestCostLine(CostCase):
    def test_foreign_currency_at_the_line_date(self):
        line = self._manual()
        # 100 EUR at 0.8 EUR per USD
        self.assertAlmostEqual(line.amount_company, 125.0, places=2)
        self.assertEqual(line.company_currency_id, self.usd)
        line.date = date(2026, 6, 2)
        self.assertAlmostEqual(line.amount_company, 200.0, places=2)
        same = self._manual(currency_id=self.usd.id, amount=70.0)
        self.assertEqual(same.amount_company, 70.0)

    def test_case_from_rma_and_team_analytic(self):
        rma = self._rma([self._line()], ticket_id=self.ticket.id)
        line = self._manual(ticket_id=False, rma_id=rma.id)
        self.assertEqual(line.ticket_id, self.ticket)
        self.assertEqual(line.team_id, self.team_de)
        self.assertEqual(line.analytic_distribution, {str(self.account_de.id): 100.0})
        # a distribution typed by hand stays
        other = self.env["account.analytic.account"].create(
            {"name": "Trade fair", "plan_id": self.account_de.plan_id.id}
        )
        kept = self._manual(analytic_distribution={str(other.id): 100.0})
        self.assertEqual(kept.analytic_distribution, {str(other.id): 100.0})

    def test_only_costs_without_document_by_hand(self):
        for cost_type in ("parts", "labour", "freight", "duty"):
            with self.assertRaises(ValidationError):
                self._manual(cost_type=cost_type)
        self.assertTrue(self._manual(cost_type="other").is_manual)
        with self.assertRaises(ValidationError):
            self._manual(ticket_id=False)

    def test_source_line_changes_only_its_payer(self):
        repair = self.env["repair.order"].create({"product_id": self.product_part.id})
        key = f"repair.order,{repair.id},labour"
        line = self.CostLine._create_from_sources(
            [
                {
                    "name": "Labour",
                    "ticket_id": self.ticket.id,
                    "cost_type": "labour",
                    "amount": 60.0,
                    "source_ref": f"repair.order,{repair.id}",
                    "source_key": key,
                }
            ]
        )
        self.assertFalse(line.is_manual)
        with self.assertRaises(UserError):
            line.amount = 1.0
        line.payer = "supplier"
        self.assertEqual(line.payer, "supplier")
        # the same source twice: nothing new, and the database refuses it too
        again = self.CostLine._create_from_sources(
            [
                {
                    "name": "x",
                    "ticket_id": self.ticket.id,
                    "cost_type": "labour",
                    "amount": 1.0,
                    "source_key": key,
                    "source_ref": f"repair.order,{repair.id}",
                }
            ]
        )
        self.assertFalse(again)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.CostLine.with_context(aftersales_cost_from_source=True).create(
                {
                    "name": "x",
                    "ticket_id": self.ticket.id,
                    "cost_type": "labour",
                    "amount": 1.0,
                    "source_key": key,
                    "source_ref": f"repair.order,{repair.id}",
                }
            )

    def _create_batch(self, repairs, queries=None):
        vals_list = [
            {
                "name": f"Labour {repair.name}",
                "ticket_id": self.ticket.id,
                "cost_type": "labour",
                "amount": 60.0 + i,
                "currency_id": (self.eur if i % 2 else self.usd).id,
                "date": date(2026, 3, 10),
                "source_ref": f"repair.order,{repair.id}",
                "source_key": f"repair.order,{repair.id},labour",
            }
            for i, repair in enumerate(repairs)
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        # the user, read before counting
        self.env.user.company_id  # noqa: B018 pylint: disable=pointless-statement
        if queries is None:
            lines = self.CostLine._create_from_sources(vals_list)
        else:
            with self.assertQueryCount(queries):
                lines = self.CostLine._create_from_sources(vals_list)
        self.assertEqual(len(lines), len(repairs))
        return lines

    def test_batch_of_sources_costs_the_same_queries(self):
        repairs = self.env["repair.order"].create(
            [{"product_id": self.product_part.id} for _i in range(35)]
        )
        # two lines first: the caches of the first creation (precisions, the
        # constraint's model) are not what is counted
        self._create_batch(repairs[:2])
        # one search of the known keys, one insert, the rates once per
        # currency and day: at most 12 queries for 3 lines and for 30 (a query
        # per line would be 40 and more for 30)
        few = self._create_batch(repairs[2:5], 12)
        many = self._create_batch(repairs[5:], 12)
        self.assertAlmostEqual(few[1].amount_company, 76.25, places=2)  # 61 EUR
        self.assertEqual(many[0].amount_company, 60.0)

    def test_access_of_each_role(self):
        line = self._manual()
        # a service user reads the costs and may not type or change them
        self.assertEqual(line.with_user(self.agent_de).amount, 100.0)
        with self.assertRaises(AccessError):
            self._manual(user=self.agent_de)
        with self.assertRaises(AccessError):
            line.with_user(self.agent_de).payer = "customer"
        with self.assertRaises(AccessError):
            line.with_user(self.agent_de).unlink()
        # a manager types, changes and deletes them
        mine = self._manual(user=self.manager)
        mine.with_user(self.manager).payer = "dealer"
        mine.with_user(self.manager).unlink()
        self.assertFalse(mine.exists())
        # a user without the service group sees nothing
        outsider = new_test_user(
            self.env, login="cost_outsider", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            line.with_user(outsider).read(["amount"])

    def test_other_company_lines_invisible(self):
        other_company = self.env["res.company"].create({"name": "Dubai Branch"})
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Other company",
                "partner_id": self.customer_ae.id,
                "company_id": other_company.id,
            }
        )
        theirs = self._manual(ticket_id=ticket.id, company_id=other_company.id)
        mine = self._manual()
        self.manager.company_ids = [(4, other_company.id)]
        seen = (
            self.CostLine.with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id])
            .search([("id", "in", (theirs | mine).ids)])
        )
        self.assertEqual(seen, mine)
        seen_all = (
            self.CostLine.with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
            .search([("id", "in", (theirs | mine).ids)])
        )
        self.assertEqual(seen_all, theirs | mine)
