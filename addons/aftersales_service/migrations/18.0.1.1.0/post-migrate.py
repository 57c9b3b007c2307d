"""18.0.1.1.0: the shipped Cancelled stage (noupdate data) becomes a cancelling
stage, and the SLA status of the tickets in it is computed again: they were
counted as met."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    stage = env.ref("aftersales_service.stage_cancelled", raise_if_not_found=False)
    if not stage:
        return
    stage.is_cancelled = True
    tickets = (
        env["aftersales.ticket"]
        .with_context(active_test=False)
        .search([("stage_id", "=", stage.id)])
    )
    env.add_to_compute(tickets._fields["sla_state"], tickets)
    tickets.flush_recordset(["sla_state"])
