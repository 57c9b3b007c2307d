import importlib.util
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

from odoo.tests import tagged

from .common_return_kpi import FRIDAY, MONDAY, ReturnKpiCase

MIGRATION = (
    Path(__file__).parent.parent / "migrations" / "18.0.1.1.0" / "post-migrate.py"
)


def _migration():
    spec = importlib.util.spec_from_file_location("rma_migration_1_1", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestReturnKpiWorkingHours(ReturnKpiCase):
    """The mean time to repair in working hours of the ticket's team calendar
    (issue 11), stored on the RMA when it ships back, and its migration."""

    def test_repair_time_across_a_weekend_in_the_team_timezone(self):
        # Shanghai 9-12, 13-18: Friday 16:00-18:00 and Monday 9:00-11:00
        shanghai = self._shipped_back("KPI-WH-SH", self._team_ticket(self.team_sh))
        # Hamburg 8-12, 13-17 (CET): Friday 9:00-17:00, Monday before 8:00
        hamburg = self._shipped_back("KPI-WH-DE", self._team_ticket(self.team_de))
        # no ticket: the company's calendar (Brussels 8-12, 13-17)
        self.company.resource_calendar_id.write({"tz": "Europe/Brussels"})
        company = self._shipped_back("KPI-WH-CO")
        self.assertEqual(self._kind(shanghai, "receipt").date_done, FRIDAY)
        self.assertEqual(self._kind(shanghai, "return_customer").date_done, MONDAY)
        self.assertAlmostEqual(shanghai.repair_working_hours, 4.0)
        self.assertAlmostEqual(hamburg.repair_working_hours, 7.0)
        self.assertAlmostEqual(company.repair_working_hours, 7.0)
        rows = self._rows(
            "aftersales.rma.mttr.report",
            [("rma_id", "in", (shanghai | hamburg | company).ids)],
        )
        self.assertEqual(len(rows), 3)
        for row in rows:
            self.assertAlmostEqual(row.repair_hours, 67.0, msg="calendar hours")
            self.assertAlmostEqual(
                row.repair_working_hours, row.rma_id.repair_working_hours
            )
        # the team's MTTR, in both units, as the pivot reads it
        groups = (
            self.env["aftersales.rma.mttr.report"]
            .with_user(self.manager)
            ._read_group(
                [("rma_id", "in", (shanghai | hamburg).ids)],
                [],
                ["repair_hours:avg", "repair_working_hours:avg"],
            )
        )
        self.assertAlmostEqual(groups[0][0], 67.0)
        self.assertAlmostEqual(groups[0][1], 5.5)

    def test_not_shipped_back_has_no_repair_time(self):
        rma = self._rma_received_at(
            "KPI-WH-OPEN", FRIDAY, ticket=self._team_ticket(self.team_sh)
        )
        self.assertEqual(rma.state, "received")
        self.assertFalse(rma.repair_working_hours)
        self.assertFalse(
            self._rows("aftersales.rma.mttr.report", [("rma_id", "=", rma.id)])
        )

    def test_corrected_dates_move_the_repair_time(self):
        rma = self._shipped_back("KPI-WH-FIX", self._team_ticket(self.team_sh))
        self.assertAlmostEqual(rma.repair_working_hours, 4.0)
        # shipped on Monday 18:00 Shanghai time: Friday 2 h + Monday 8 h
        self._kind(rma, "return_customer").date_done = datetime(2026, 3, 9, 10, 0)
        self.assertAlmostEqual(rma.repair_working_hours, 10.0)
        # received the Thursday before at 17:00: 1 h + all Friday 8 h + 8 h
        self._kind(rma, "receipt").date_done = datetime(2026, 3, 5, 9, 0)
        self.assertAlmostEqual(rma.repair_working_hours, 17.0)

    def test_migration_fills_the_rmas_shipped_back_before(self):
        shanghai = self._shipped_back("KPI-MIG-SH", self._team_ticket(self.team_sh))
        hamburg = self._shipped_back("KPI-MIG-DE", self._team_ticket(self.team_de))
        waiting = self._rma_received_at("KPI-MIG-OPEN", FRIDAY)
        rmas = shanghai | hamburg | waiting
        self.env.flush_all()
        # the column as the upgrade adds it: empty
        self.env.cr.execute(
            "UPDATE aftersales_rma SET repair_working_hours = NULL WHERE id IN %s",
            [tuple(rmas.ids)],
        )
        rmas.invalidate_recordset(["repair_working_hours"])
        self.assertFalse(any(rmas.mapped("repair_working_hours")))
        _migration().migrate(self.env.cr, "18.0.1.0.0")
        rmas.invalidate_recordset(["repair_working_hours"])
        self.assertAlmostEqual(shanghai.repair_working_hours, 4.0)
        self.assertAlmostEqual(hamburg.repair_working_hours, 7.0)
        self.assertFalse(waiting.repair_working_hours)
        rows = self._rows("aftersales.rma.mttr.report", [("rma_id", "in", rmas.ids)])
        self.assertEqual(
            sorted(rows.mapped("repair_working_hours")), [4.0, 7.0], "in the report"
        )

    def test_fill_reads_each_calendar_once_per_batch(self):
        rmas = self.env["aftersales.rma"]
        for index in range(3):
            rmas |= self._shipped_back(
                f"KPI-BATCH-{index}", self._team_ticket(self.team_sh)
            )
        rmas.repair_working_hours = False
        Calendar = type(self.env["resource.calendar"])
        original = Calendar._aftersales_work_hours_batch
        with patch.object(
            Calendar,
            "_aftersales_work_hours_batch",
            autospec=True,
            side_effect=original,
        ) as work_hours:
            rmas._aftersales_store_repair_hours()
        self.assertEqual(work_hours.call_count, 1, "one reading for the calendar")
        calendar, periods = work_hours.call_args.args[:2]
        self.assertEqual((calendar, len(periods)), (self.calendar_sh, 3))
        self.assertEqual(rmas.mapped("repair_working_hours"), [4.0] * 3)
