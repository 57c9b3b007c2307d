from odoo import fields, models
from odoo.tools import SQL


class AftersalesTicketReport(models.Model):
    """The RMAs of each ticket in the service KPIs: a ticket is fixed the first
    time when it was never reopened and needed at most one RMA."""

    _inherit = "aftersales.ticket.report"

    rma_count = fields.Integer(string="# RMAs", readonly=True)

    def _select(self):
        return SQL("%s, COALESCE(rma.rma_count, 0) AS rma_count", super()._select())

    def _from(self):
        return SQL(
            "%s LEFT JOIN (SELECT ticket_id, count(*) AS rma_count"
            " FROM aftersales_rma WHERE ticket_id IS NOT NULL"
            " AND state != 'cancel' GROUP BY ticket_id) rma ON rma.ticket_id = t.id",
            super()._from(),
        )

    def _first_time_fix(self):
        return SQL(
            "(%s AND COALESCE(rma.rma_count, 0) <= 1)", super()._first_time_fix()
        )
