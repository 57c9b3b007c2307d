from datetime import datetime

from odoo.tests import tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaDigest(RmaCase):
    """The RMAs created in the period, in Odoo's digest email: two in March,
    one in April, and one of another company in March."""

    def _period(self, digest):
        return digest.with_context(
            start_datetime=datetime(2026, 3, 1), end_datetime=datetime(2026, 4, 1)
        ).with_company(digest.company_id or self.company)

    def _dated(self, rmas, created):
        """Odoo dates a record's creation by the transaction: the RMAs are dated
        as if created then."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE aftersales_rma SET create_date = %s WHERE id IN %s",
            [created, tuple(rmas.ids)],
        )
        self.env.invalidate_all()

    def test_rmas_created_in_the_period(self):
        digest = self.env.ref("digest.digest_digest_default")
        # on by default in a new database (data/digest_data.xml)
        digest.kpi_aftersales_rma = True
        period = self._period(digest)
        # the demo database may have RMAs in the period already
        before = period.kpi_aftersales_rma_value
        period.invalidate_model(["kpi_aftersales_rma_value"])
        other = self.env["res.company"].create({"name": "Other Brand Ltd"})
        march = self._rma([self._line()]) | self._rma([self._line(quantity=2)])
        april = self._rma([self._line()])
        elsewhere = self._rma([self._line()], company_id=other.id)
        self._dated(march | elsewhere, "2026-03-16 10:00:00")
        self._dated(april, "2026-04-01 00:00:00")
        self.assertEqual(period.kpi_aftersales_rma_value - before, 2)
        # the other company's digest counts its own RMA only
        theirs = self._period(digest.copy({"company_id": other.id}))
        self.assertEqual(theirs.kpi_aftersales_rma_value, 1)
        kpis = digest._compute_kpis(self.company, self.manager)
        self.assertIn("kpi_aftersales_rma", [kpi["kpi_name"] for kpi in kpis])
