import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    """Stale tickets: no message or activity for the company's delay; the
    customer gets a status update."""

    _inherit = "aftersales.ticket"

    is_stale = fields.Boolean(readonly=True, copy=False, index=True)
    stale_notified_date = fields.Datetime(readonly=True, copy=False)

    def write(self, vals):
        if "stage_id" in vals:
            vals = dict(vals, is_stale=False)  # someone works the ticket
        return super().write(vals)

    @api.model
    def _cron_stale_check(self, batch_size=200):
        """Flag open tickets without message or open activity for the company's
        stale delay and send their customer a status update."""
        now = fields.Datetime.now()
        processed = self.browse()
        self.env.flush_all()  # the query below reads messages and activities in SQL
        for company in self.env["res.company"].search([]):
            cutoff = now - timedelta(days=company.aftersales_stale_days)
            self.env.cr.execute(
                """
                SELECT t.id
                  FROM aftersales_ticket t
                  JOIN aftersales_stage s ON s.id = t.stage_id
                 WHERE t.company_id = %(company)s
                   AND t.active
                   AND s.is_closed IS NOT TRUE
                   AND COALESCE(t.sla_start_date, t.create_date) < %(cutoff)s
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_message m
                         WHERE m.model = 'aftersales.ticket' AND m.res_id = t.id
                           AND m.date >= %(cutoff)s)
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_activity a
                         WHERE a.res_model = 'aftersales.ticket' AND a.res_id = t.id
                           AND a.active)  -- done activities are kept archived
              ORDER BY t.id
                 LIMIT %(limit)s
                """,
                {"company": company.id, "cutoff": cutoff, "limit": batch_size},
            )
            processed |= self.browse([row[0] for row in self.env.cr.fetchall()])
        if not processed:
            return processed
        processed.write({"is_stale": True, "stale_notified_date": now})
        template = self.env.ref("aftersales_service.mail_template_ticket_status_update")
        for ticket in processed.filtered("partner_id"):
            ticket.with_context(aftersales_status_update=True).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        self.env["ir.cron"]._notify_progress(done=len(processed), remaining=0)
        return processed
