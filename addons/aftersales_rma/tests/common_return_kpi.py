from datetime import datetime

from odoo.tests import freeze_time

from .common import RmaCase

# a Friday afternoon in Shanghai (16:00), a Friday morning in Hamburg (09:00)
FRIDAY = datetime(2026, 3, 6, 8, 0)
# the next Monday: 11:00 in Shanghai, 04:00 in Hamburg
MONDAY = datetime(2026, 3, 9, 3, 0)


class ReturnKpiCase(RmaCase):
    """RMAs of the two teams' tickets received and shipped back at known
    moments, for the mean time to repair and who reads it."""

    def _team_ticket(self, team):
        ticket = self._ticket(team_id=team.id, partner_id=self.customer_de.id)
        ticket.user_id = False
        return ticket

    def _rma_received_at(self, serial, moment, ticket=None, **values):
        lot = self._lots([serial], self.product_us200)
        line = self._line(lot, disposition="return_only", warranty_decision="covered")
        if ticket:
            values["ticket_id"] = ticket.id
        with freeze_time(moment):
            rma = self._awaiting(self._rma([line], **values))
            self._receive(rma)
        return rma

    def _ship_back_at(self, rma, moment):
        with freeze_time(moment):
            rma.action_process()
            lot = rma.line_ids.lot_id
            self._do_picking(
                self._kind(rma, "return_customer"), lots={lot.product_id: lot}
            )
        self.assertEqual(rma.state, "done")
        return rma

    def _shipped_back(self, serial, ticket=None, start=FRIDAY, end=MONDAY, **values):
        rma = self._rma_received_at(serial, start, ticket=ticket, **values)
        return self._ship_back_at(rma, end)

    def _rows(self, model, domain, user=None):
        Report = self.env[model].with_user(user or self.manager)
        self.env.flush_all()
        Report.invalidate_model()
        return Report.search(domain)
