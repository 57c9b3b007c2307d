import base64
import json
from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import file_open

from odoo.addons.aftersales_service.tests.common import AftersalesCase

from ..tools.spreadsheet_queries import (
    check_references,
    data_sources,
    read_group_calls,
)

DASHBOARD_FILE = "aftersales_spreadsheet_dashboard/data/files/aftersales_dashboard.json"


@tagged("post_install", "-at_install")
class TestAftersalesDashboard(AftersalesCase):
    """The After-Sales dashboard: shipped, for the service managers only, every
    name in it resolved on the registry, its figures right on a known set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(
            "aftersales_spreadsheet_dashboard.spreadsheet_dashboard_aftersales"
        )
        cls.doc = json.loads(cls.dashboard.spreadsheet_data)
        cls.filters = {f["label"]: f["id"] for f in cls.doc["globalFilters"]}
        cls.sources = data_sources(cls.doc)
        cls.pivots = {s["name"]: s for s in cls.sources if s["kind"] == "pivot"}

    def _fields_of(self, model):
        if model not in self.env:
            return None
        return self.env[model].fields_get(attributes=["type", "relation"])

    def _read(self, source_name, values, level=0):
        """The rows the web client reads for one pivot or chart of the
        dashboard, with these global filter values (by filter label)."""
        source = self.pivots[source_name]
        by_id = {self.filters[label]: value for label, value in values.items()}
        domain, measures, groupby = read_group_calls(source, by_id)[level]
        Report = self.env[source["model"]].with_user(self.manager)
        return Report.read_group(domain, measures, groupby, lazy=False)

    def test_shipped_in_the_after_sales_group(self):
        self.assertEqual(self.dashboard.dashboard_group_id.name, "After-Sales")
        self.assertTrue(self.dashboard.is_published)
        with file_open(DASHBOARD_FILE, "rb") as shipped:
            self.assertEqual(
                base64.b64decode(self.dashboard.spreadsheet_binary_data), shipped.read()
            )
        self.assertEqual(set(self.filters), {"Period", "Team", "Country", "Product"})
        self.assertTrue(
            {"KPI - Open backlog", "KPI - Closed tickets"} <= set(self.pivots)
        )
        charts = [s for s in self.sources if s["kind"] == "chart"]
        self.assertEqual(
            sorted(tuple(c["groupby"]) for c in charts),
            [
                ("age_bucket",),
                ("close_date:month",),
                ("country_id",),
                ("create_date:month",),
                ("team_id",),
            ],
        )

    def test_every_name_exists(self):
        self.assertEqual(check_references(self.doc, self._fields_of), [])
        models = {s["model"] for s in self.sources}
        self.assertEqual(models, {"aftersales.ticket.report"})
        self.assertEqual(
            {f.get("modelName") for f in self.doc["globalFilters"]} - {None},
            {"aftersales.team", "res.country", "product.product"},
        )

    def test_a_wrong_field_name_fails(self):
        doc = json.loads(self.dashboard.spreadsheet_data)
        doc["pivots"]["2"]["measures"][1]["fieldName"] = "sla_attainment"
        problems = check_references(doc, self._fields_of)
        self.assertTrue(any("sla_attainment" in p for p in problems), problems)

    def test_for_service_managers_only(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertEqual(
            self.dashboard.group_ids,
            self.env.ref("aftersales_service.aftersales_group_manager"),
        )
        self.assertIn(self.dashboard, Dashboard.with_user(self.manager).search([]))
        data = self.dashboard.with_user(self.manager).get_readonly_dashboard()
        self.assertEqual(data["snapshot"]["pivots"].keys(), self.doc["pivots"].keys())
        self.assertNotIn(self.dashboard, Dashboard.with_user(self.agent).search([]))
        with self.assertRaises(AccessError):
            self.dashboard.with_user(self.agent).check_access("read")

    def test_known_figures_of_a_team(self):
        team = self.env["aftersales.team"].create(
            {"name": "Dashboard team", "resource_calendar_id": self.calendar_sh.id}
        )
        with freeze_time("2026-02-10 01:00:00"):
            february = self._ticket(team_id=team.id)
            february.stage_id = self.stage_closed
        with freeze_time("2026-03-09 00:00:00"):  # Monday 08:00 in Shanghai
            met, failed, reopened, open1, open2 = (
                self._ticket(team_id=team.id) for _i in range(5)
            )
        with freeze_time("2026-03-09 02:00:00"):
            (met | reopened).stage_id = self.stage_closed
            reopened.stage_id = self.stage_accepted
            reopened.stage_id = self.stage_closed
        with freeze_time("2026-03-20 02:00:00"):
            failed.stage_id = self.stage_closed
        # the database stamps the creation: moved back as the tickets were made
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET create_date = CASE WHEN id = %s"
            " THEN %s ELSE %s END WHERE id = ANY(%s)",
            [
                february.id,
                datetime(2026, 2, 10, 1, 0),
                datetime(2026, 3, 9, 0, 0),
                (february | met | failed | reopened | open1 | open2).ids,
            ],
        )
        for ticket, rate in ((met, 5), (failed, 2), (reopened, 4)):
            ticket.rating_apply(rate, token=ticket._rating_get_access_token())
        self.assertEqual(
            (met | failed | reopened).mapped("sla_state"), ["met", "failed", "met"]
        )
        self.env.flush_all()
        march = (datetime(2026, 3, 1), datetime(2026, 4, 1))
        values = {"Team": [team.id], "Period": march}

        [backlog] = self._read("KPI - Open backlog", values)
        self.assertEqual(backlog["__count"], 2, "open tickets, whatever the period")
        [closed] = self._read("KPI - Closed tickets", values)
        self.assertEqual(
            closed["__count"], 3, "closed in March; February's is left out"
        )
        self.assertAlmostEqual(closed["sla_attained"], 2 / 3)
        self.assertAlmostEqual(closed["rating"], 11 / 3)
        self.assertAlmostEqual(closed["first_time_fix"], 2 / 3)
        [created] = self._read("KPI - Created tickets", values)
        self.assertEqual((created["__count"], created["rma_count"]), (5, 0))
        [by_team] = self._read("Service KPIs by Team", values, level=1)
        self.assertEqual(by_team["team_id"][0], team.id)
        self.assertEqual((by_team["__count"], by_team["open_count"]), (5, 2))
        # the chart of tickets per month, over all periods
        chart = next(s for s in self.sources if s["groupby"] == ["create_date:month"])
        domain, _measures, groupby = read_group_calls(
            chart, {self.filters["Team"]: [team.id]}
        )[0]
        months = self.env["aftersales.ticket.report"].read_group(
            domain, [], groupby, lazy=False
        )
        self.assertEqual(
            [(row["create_date:month"], row["__count"]) for row in months],
            [("February 2026", 1), ("March 2026", 5)],
        )
        # another team's filter sees none of them
        other = {"Team": [self.team_de.id], "Period": march}
        [closed_other] = self._read("KPI - Closed tickets", other)
        self.assertEqual(closed_other["__count"], 0)
