from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestDigestKpis(AftersalesCase):
    """The service KPIs of Odoo's digest email."""

    def test_closed_sla_attainment_and_csat_of_the_period(self):
        cancelled = self.env.ref("aftersales_service.stage_cancelled")
        with freeze_time("2026-03-09 00:00:00"):
            met, failed, dropped, rated = (self._ticket() for _i in range(4))
        with freeze_time("2026-03-09 02:00:00"):
            met.stage_id = self.stage_closed
            dropped.stage_id = cancelled
            rated.stage_id = self.stage_closed
            for ticket, rate in ((met, 5), (rated, 2)):
                ticket.rating_apply(rate, token=ticket._rating_get_access_token())
        with freeze_time("2026-03-20 02:00:00"):
            failed.stage_id = self.stage_closed
        digest = self.env.ref("digest.digest_digest_default")
        # on by default in a new database (data/digest_data.xml)
        digest.write(
            {
                "kpi_aftersales_ticket_closed": True,
                "kpi_aftersales_sla_attainment": True,
                "kpi_aftersales_csat": True,
            }
        )
        self.env.flush_all()
        period = digest.with_context(
            start_datetime=datetime(2026, 3, 1), end_datetime=datetime(2026, 4, 1)
        )
        period = period.with_company(self.company)
        self.assertEqual(period.kpi_aftersales_ticket_closed_value, 3, "not cancelled")
        self.assertAlmostEqual(
            period.kpi_aftersales_sla_attainment_value, 100.0 * 2 / 3
        )
        # the ratings were given on 2026-03-09 in the frozen time
        self.env.cr.execute(
            "UPDATE rating_rating SET write_date = '2026-03-09 03:00:00' "
            "WHERE res_model = 'aftersales.ticket' AND res_id IN %s",
            [(met.id, rated.id)],
        )
        period.invalidate_model()
        self.assertAlmostEqual(period.kpi_aftersales_csat_value, 3.5)
        earlier = digest.with_context(
            start_datetime=datetime(2026, 1, 1), end_datetime=datetime(2026, 2, 1)
        )
        self.assertEqual(earlier.kpi_aftersales_ticket_closed_value, 0)
        self.assertEqual(earlier.kpi_aftersales_sla_attainment_value, 0.0)
        # the digest email's columns
        kpis = digest._compute_kpis(self.company, self.manager)
        names = [kpi["kpi_name"] for kpi in kpis]
        self.assertIn("kpi_aftersales_ticket_closed", names)
        self.assertIn("kpi_aftersales_csat", names)

    def _period(self, company=None, digest=None):
        digest = digest or self.env.ref("digest.digest_digest_default")
        digest = digest.with_context(
            start_datetime=datetime(2026, 3, 1), end_datetime=datetime(2026, 4, 1)
        )
        return digest.with_company(company or self.company)

    def _dated(self, tickets, created):
        """Odoo dates a record's creation by the transaction, not the frozen
        clock: the tickets are dated as if created then."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET create_date = %s WHERE id IN %s",
            [created, tuple(tickets.ids)],
        )
        self.env.invalidate_all()

    def _respond(self, ticket):
        ticket.with_user(self.agent).message_post(
            body="We are on it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def test_backlog_first_time_fix_and_response_of_the_period(self):
        """Fixed once (answered after 4 working hours), fixed twice (answered
        after 1), cancelled, still open, closed after the period, created after
        it; and another company's open ticket."""
        digest = self.env.ref("digest.digest_digest_default")
        # on by default in a new database (data/digest_data.xml)
        digest.write(
            {
                "kpi_aftersales_backlog": True,
                "kpi_aftersales_first_time_fix": True,
                "kpi_aftersales_response": True,
            }
        )
        period = self._period()
        # the demo database may have tickets in the period already
        self.env.flush_all()
        backlog = period.kpi_aftersales_backlog_value
        closed = period.kpi_aftersales_ticket_closed_value
        fixed = period.kpi_aftersales_first_time_fix_value * closed / 100.0
        responses = self.env["aftersales.ticket"].search_count(
            [
                ("company_id", "=", self.company.id),
                ("first_response_date", ">=", datetime(2026, 3, 1)),
                ("first_response_date", "<", datetime(2026, 4, 1)),
                ("response_working_hours", "!=", 0),
            ]
        )
        hours = period.kpi_aftersales_response_value * responses
        period.invalidate_model()
        cancelled = self.env.ref("aftersales_service.stage_cancelled")
        other = self.env["res.company"].create({"name": "Other Brand Ltd"})
        # Shanghai 9-12 and 13-18 (UTC+8): Monday 08:00 local
        with freeze_time("2026-03-09 00:00:00"):
            once, twice, dropped, still_open, late = (self._ticket() for _i in range(5))
            elsewhere = self.env["aftersales.ticket"].create(
                {
                    "subject": "Not ours",
                    "partner_id": self.customer_ae.id,
                    "company_id": other.id,
                }
            )
        with freeze_time("2026-03-09 02:00:00"):  # Monday 10:00 local
            self._respond(twice)
        with freeze_time("2026-03-09 06:00:00"):  # Monday 14:00 local
            self._respond(once)
        with freeze_time("2026-03-10 02:00:00"):
            (once | twice).stage_id = self.stage_closed
            dropped.stage_id = cancelled
        with freeze_time("2026-03-11 02:00:00"):
            twice.stage_id = self.stage_accepted
        with freeze_time("2026-03-12 02:00:00"):
            twice.stage_id = self.stage_closed
        with freeze_time("2026-04-03 02:00:00"):
            self._respond(still_open)
            after = self._ticket()
        with freeze_time("2026-04-05 02:00:00"):
            late.stage_id = self.stage_closed
        in_march = once | twice | dropped | still_open | late | elsewhere
        self._dated(in_march, "2026-03-09")
        self._dated(after, "2026-04-03")
        self.assertAlmostEqual(once.response_working_hours, 4.0)
        self.assertAlmostEqual(twice.response_working_hours, 1.0)
        self.assertEqual(twice.reopen_count, 1)
        self.env.flush_all()
        self.assertTrue(period.company_id)  # read before: the digest's company
        with self.assertQueryCount(3):  # one grouped query each
            period.read(
                [
                    "kpi_aftersales_backlog_value",
                    "kpi_aftersales_first_time_fix_value",
                    "kpi_aftersales_response_value",
                ]
            )
        self.assertEqual(period.kpi_aftersales_backlog_value - backlog, 2)
        self.assertEqual(period.kpi_aftersales_ticket_closed_value - closed, 2)
        self.assertAlmostEqual(
            period.kpi_aftersales_first_time_fix_value,
            100.0 * (fixed + 1) / (closed + 2),
        )
        self.assertAlmostEqual(
            period.kpi_aftersales_response_value,
            (hours + 4.0 + 1.0) / (responses + 2),
        )
        # the default digest is the main company's (digest.company_id); the
        # other company's digest counts its own ticket only
        theirs = self._period(other, digest=digest.copy({"company_id": other.id}))
        self.assertEqual(theirs.kpi_aftersales_backlog_value, 1)
        self.assertEqual(theirs.kpi_aftersales_first_time_fix_value, 0.0)
        self.assertEqual(theirs.kpi_aftersales_response_value, 0.0)
        # the digest email's columns
        kpis = digest._compute_kpis(self.company, self.manager)
        names = [kpi["kpi_name"] for kpi in kpis]
        for name in (
            "kpi_aftersales_backlog",
            "kpi_aftersales_first_time_fix",
            "kpi_aftersales_response",
        ):
            self.assertIn(name, names)
