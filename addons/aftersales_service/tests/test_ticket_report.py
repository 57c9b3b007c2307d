from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestTicketReport(AftersalesCase):
    """The service KPIs of aftersales.ticket.report, read as the pivot reads
    them (grouped by the database)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["aftersales.team"].create(
            {"name": "KPI team", "resource_calendar_id": cls.calendar_sh.id}
        )
        cls.cancelled = cls.env.ref("aftersales_service.stage_cancelled")

    def _ticket(self, **values):
        return super()._ticket(team_id=self.team.id, user_id=self.agent.id, **values)

    def _kpis(self, tickets, *aggregates):
        Report = self.env["aftersales.ticket.report"]
        Report.env.flush_all()
        [row] = Report._read_group(
            [("ticket_id", "in", tickets.ids)], [], list(aggregates)
        )
        return row

    def _respond(self, ticket):
        ticket.with_user(self.agent).message_post(
            body="We are on it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def test_response_and_resolution_in_working_and_calendar_hours(self):
        # Shanghai 9-12 and 13-18 (UTC+8): Monday 08:00 local
        with freeze_time("2026-03-09 00:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-09 06:00:00"):  # Monday 14:00 local
            self._respond(ticket)
        with freeze_time("2026-03-10 02:00:00"):  # Tuesday 10:00 local
            ticket.stage_id = self.stage_closed
        self.assertEqual(ticket.first_response_date, datetime(2026, 3, 9, 6, 0))
        self.assertAlmostEqual(ticket.response_hours, 6.0)
        self.assertAlmostEqual(ticket.response_working_hours, 4.0)
        self.assertAlmostEqual(ticket.resolution_hours, 26.0)
        self.assertAlmostEqual(ticket.resolution_working_hours, 9.0)
        # the same figures as Odoo's own count of the calendar's working hours
        utc = datetime.fromisoformat
        self.assertAlmostEqual(
            self.calendar_sh.get_work_hours_count(
                utc("2026-03-09T00:00:00+00:00"), utc("2026-03-10T02:00:00+00:00")
            ),
            9.0,
        )
        row = self._kpis(ticket, "response_working_hours:avg", "resolution_hours:avg")
        self.assertAlmostEqual(row[0], 4.0)
        self.assertAlmostEqual(row[1], 26.0)

    def test_sla_attainment_leaves_out_open_and_cancelled_tickets(self):
        with freeze_time("2026-03-09 00:00:00"):
            met, failed, cancelled, still_open = (self._ticket() for _i in range(4))
        with freeze_time("2026-03-09 02:00:00"):
            met.stage_id = self.stage_closed
            cancelled.stage_id = self.cancelled
        with freeze_time("2026-03-20 02:00:00"):
            failed.stage_id = self.stage_closed
        tickets = met | failed | cancelled | still_open
        self.assertEqual(
            tickets.mapped("sla_state"), ["met", "failed", "cancelled", "on_track"]
        )
        attained, count, open_count = self._kpis(
            tickets, "sla_attained:avg", "ticket_count:sum", "open_count:sum"
        )
        self.assertAlmostEqual(attained, 0.5, msg="1 of the 2 closed, not cancelled")
        self.assertEqual(count, 4)
        self.assertEqual(open_count, 1)

    def test_reopen_reassign_and_first_time_fix(self):
        fixed, reopened = self._ticket(), self._ticket()
        (fixed | reopened).stage_id = self.stage_closed
        reopened.stage_id = self.stage_accepted
        reopened.user_id = self.agent2
        reopened.user_id = self.agent
        reopened.stage_id = self.stage_closed
        self.assertEqual((fixed.reopen_count, reopened.reopen_count), (0, 1))
        self.assertEqual((fixed.reassign_count, reopened.reassign_count), (0, 2))
        ftf, reopen_rate, reassignments = self._kpis(
            fixed | reopened,
            "first_time_fix:avg",
            "reopened:avg",
            "reassign_count:sum",
        )
        self.assertAlmostEqual(ftf, 0.5)
        self.assertAlmostEqual(reopen_rate, 0.5)
        self.assertEqual(reassignments, 2)

    def test_csat_and_nps(self):
        tickets = self._ticket() | self._ticket() | self._ticket() | self._ticket()
        unrated = self._ticket()
        for ticket, rate in zip(tickets, (5, 5, 2, 4), strict=True):
            token = ticket._rating_get_access_token()
            ticket.rating_apply(rate, token=token)
        self.assertEqual(tickets.mapped("rating_last_value"), [5, 5, 2, 4])
        csat, nps = self._kpis(tickets | unrated, "rating:avg", "nps:avg")
        self.assertAlmostEqual(csat, 4.0, msg="the unrated ticket is left out")
        # shares of the rated: 5 stars 2/4, 1-2 stars 1/4 -> 25 points
        self.assertAlmostEqual(nps, 25.0)

    def test_backlog_age_buckets(self):
        ages = {"0_2": 1, "3_7": 5, "8_30": 10, "30_plus": 45}
        tickets = {bucket: self._ticket() for bucket in ages}
        closed_old = self._ticket()
        closed_old.stage_id = self.stage_closed
        self.env.flush_all()
        for bucket, days in ages.items():
            self.env.cr.execute(
                "UPDATE aftersales_ticket SET create_date = "
                "(now() AT TIME ZONE 'UTC') - %s WHERE id = %s",
                [timedelta(days=days, hours=1), tickets[bucket].id],
            )
        Report = self.env["aftersales.ticket.report"]
        rows = Report.search(
            [("ticket_id", "in", [t.id for t in tickets.values()] + closed_old.ids)]
        )
        by_ticket = {row.ticket_id: row for row in rows}
        for bucket, days in ages.items():
            row = by_ticket[tickets[bucket]]
            self.assertEqual(row.age_bucket, bucket)
            self.assertEqual(row.age_days, days)
        self.assertFalse(by_ticket[closed_old].age_bucket, "not in the backlog")

    def test_engineers_read_the_kpis_of_their_tickets_and_teams(self):
        mine = self._ticket()
        other_team = AftersalesCase._ticket(
            self, team_id=self.team_de.id, user_id=self.agent_de.id
        )
        undispatched = AftersalesCase._ticket(self, team_id=False, user_id=False)
        self.env.flush_all()
        Report = self.env["aftersales.ticket.report"]
        cases = (mine | other_team | undispatched).ids

        def visible(user):
            rows = Report.with_user(user).search([("ticket_id", "in", cases)])
            return set(rows.mapped("ticket_id").ids)

        self.assertEqual(visible(self.manager), set(cases))
        # the engineer of the first ticket (team Shanghai): his own and the
        # undispatched one, not the Hamburg team's
        self.assertEqual(visible(self.agent), {mine.id, undispatched.id})
        self.assertEqual(visible(self.agent_de), {other_team.id, undispatched.id})
        # grouped figures count only those rows
        [(count,)] = Report.with_user(self.agent)._read_group(
            [("ticket_id", "in", cases)], [], ["__count"]
        )
        self.assertEqual(count, 2)
        # someone without the service group reads nothing
        outsider = self.env["res.users"].create(
            {"name": "Outsider", "login": "kpi_outsider"}
        )
        with self.assertRaises(AccessError):
            Report.with_user(outsider).search_count([])
        other = self.env["res.company"].create({"name": "Other Service Co"})
        self.manager.company_ids |= other
        foreign = (
            self.env["aftersales.ticket"]
            .with_company(other)
            .create({"subject": "Elsewhere", "company_id": other.id})
        )
        self.env.flush_all()
        self.assertFalse(
            Report.with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id])
            .search_count([("ticket_id", "=", foreign.id)])
        )

    def test_pivot_rows_of_a_many2one_in_its_order_without_a_join(self):
        """A pivot's rows by product come in the product's order (default
        code), the empty group last, from a query grouped by the product's id
        alone: no join of the products (docs/benchmarks.md)."""
        Product = self.env["product.product"]
        zulu, alpha, mike = Product.create(
            [
                {"name": "Probe", "default_code": "Z-100"},
                {"name": "Cart", "default_code": "A-100"},
                {"name": "Lamp", "default_code": "M-100"},
            ]
        )
        mike.active = False  # archived products keep their place
        tickets = self._ticket(product_id=zulu.id) | self._ticket()
        tickets |= self._ticket(product_id=alpha.id) | self._ticket(product_id=mike.id)
        tickets |= self._ticket(product_id=zulu.id)
        Report = self.env["aftersales.ticket.report"]
        Report.env.flush_all()
        queries = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            groups = Report.read_group(
                [("ticket_id", "in", tickets.ids)], ["product_id"], ["product_id"]
            )
        self.assertEqual(
            [
                (g["product_id"] and g["product_id"][0], g["product_id_count"])
                for g in groups
            ],
            [(alpha.id, 1), (mike.id, 1), (zulu.id, 2), (False, 1)],
        )
        grouping = [q for q in queries if "aftersales_ticket_report" in q]
        self.assertTrue(grouping)
        self.assertFalse([q for q in grouping if "product_template" in q])
        # another order, or two levels: the ORM's own query, the same groups
        self.assertEqual(
            [
                g["product_id"] and g["product_id"][0]
                for g in Report.read_group(
                    [("ticket_id", "in", tickets.ids)],
                    ["product_id"],
                    ["product_id"],
                    orderby="product_id desc",
                )
            ],
            [False, zulu.id, mike.id, alpha.id],
        )
