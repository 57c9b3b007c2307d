import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    """Stale tickets: no message or activity for the company's delay; the
    customer gets a status update (``aftersales.stale.mixin``)."""

    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "aftersales.stale.mixin"]

    def write(self, vals):
        if "stage_id" in vals:
            vals = dict(vals, is_stale=False)  # someone works the ticket
        return super().write(vals)

    @api.model
    def _stale_candidates(self, now, limit):
        """Open tickets without message or open activity for their company's
        stale delay, in one query whatever the number of companies; the window
        count gives what remains beyond ``limit``."""
        self.env.cr.execute(
            """
            SELECT t.id, count(*) OVER ()
              FROM aftersales_ticket t
              JOIN aftersales_stage s ON s.id = t.stage_id
              JOIN res_company c ON c.id = t.company_id
             CROSS JOIN LATERAL (
                   SELECT %(now)s::timestamp
                          - make_interval(days => c.aftersales_stale_days) AS cutoff
                   ) k
             WHERE t.active
               AND s.is_closed IS NOT TRUE
               AND COALESCE(t.sla_start_date, t.create_date) < k.cutoff
               -- flagged within the delay (a ticket without customer gets no
               -- status update message): not again before the next quiet period
               AND (t.stale_notified_date IS NULL OR t.stale_notified_date < k.cutoff)
               AND NOT EXISTS (
                    SELECT 1 FROM mail_message m
                     WHERE m.model = 'aftersales.ticket' AND m.res_id = t.id
                       AND m.date >= k.cutoff)
               AND NOT EXISTS (
                    SELECT 1 FROM mail_activity a
                     WHERE a.res_model = 'aftersales.ticket' AND a.res_id = t.id
                       AND a.active)  -- done activities are kept archived
          ORDER BY t.id
             LIMIT %(limit)s
            """,
            {"now": now, "limit": limit},
        )
        rows = self.env.cr.fetchall()
        tickets = self.browse([row[0] for row in rows])
        return tickets, (rows[0][1] - len(rows) if rows else 0)

    def _stale_status_update(self):
        return self.env.ref("aftersales_service.mail_template_ticket_status_update"), {
            "subtype_xmlid": "mail.mt_comment",
            "email_layout_xmlid": "mail.mail_notification_light",
        }

    def _stale_recipients(self):
        # the update itself does not clear the flag (see _message_post_after_hook)
        return super()._stale_recipients().with_context(aftersales_status_update=True)
