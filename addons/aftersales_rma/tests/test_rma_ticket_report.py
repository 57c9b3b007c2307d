from odoo.tests import tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaTicketReport(RmaCase):
    """With RMAs, a closed ticket is fixed the first time only when it needed at
    most one RMA (cancelled RMAs do not count)."""

    def test_first_time_fix_counts_the_rmas(self):
        Ticket = self.env["aftersales.ticket"]
        closed = self.env.ref("aftersales_service.stage_closed")
        one, two, cancelled_second = (
            Ticket.create({"subject": f"Probe {i}", "partner_id": self.customer_de.id})
            for i in range(3)
        )
        self._rma([self._line()], ticket_id=one.id)
        self._rma([self._line()], ticket_id=two.id)
        self._rma([self._line()], ticket_id=two.id)
        self._rma([self._line()], ticket_id=cancelled_second.id)
        self._rma([self._line()], ticket_id=cancelled_second.id).action_cancel()
        tickets = one | two | cancelled_second
        tickets.stage_id = closed
        self.env.flush_all()
        rows = self.env["aftersales.ticket.report"].search(
            [("ticket_id", "in", tickets.ids)]
        )
        by_ticket = {row.ticket_id: row for row in rows}
        self.assertEqual(
            [by_ticket[t].rma_count for t in tickets], [1, 2, 1], "cancelled left out"
        )
        self.assertEqual(
            [by_ticket[t].first_time_fix for t in tickets], [1.0, 0.0, 1.0]
        )
