"""18.0.1.1.0: the RMA stores its repair time in working hours
(``repair_working_hours``) when it ships back; the RMAs shipped back before the
upgrade get theirs from the dates of their done transfers, in the working hours
of their ticket's team calendar (else their company's), a batch of RMAs at a
time with each calendar read once per batch."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["aftersales.rma"]._aftersales_fill_repair_hours()
