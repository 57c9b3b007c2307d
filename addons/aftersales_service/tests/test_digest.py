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
