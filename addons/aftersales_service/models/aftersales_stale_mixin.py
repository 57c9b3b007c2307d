from datetime import timedelta

from odoo import api, fields, models

STALE_DEFAULT_DAYS = 7


class AftersalesStaleMixin(models.AbstractModel):
    """Stale detection shared by tickets and RMAs: a cron flags the open records
    without news for a while (what counts as news is the model's: messages and
    activities for a ticket, state changes and shipment events for an RMA) and
    sends their customer a status update, a batch per run, telling the cron worker
    how many remain so that it calls again. For models inheriting ``mail.thread``
    and ``aftersales.batch.mail.mixin``."""

    _name = "aftersales.stale.mixin"
    _description = "After-Sales Stale Detection"

    is_stale = fields.Boolean(readonly=True, copy=False, index=True)
    stale_notified_date = fields.Datetime(readonly=True, copy=False)

    @api.model
    def _stale_candidates(self, now, limit):
        """``(records, remaining)``: at most ``limit`` records to flag stale at
        ``now``, and how many more would be flagged after them. A record flagged
        at ``now`` is no candidate any more (else the cron would never end).

        By default, records not flagged yet and unchanged for a week; each model
        says what "quiet" means for it (messages, activities, shipment events)."""
        domain = [
            ("is_stale", "=", False),
            ("write_date", "<", now - timedelta(days=STALE_DEFAULT_DAYS)),
        ]
        records = self.search(domain, limit=limit, order="id")
        remaining = self.search_count(domain) - len(records) if limit else 0
        return records, remaining

    def _stale_status_update(self):
        """``(template, post keyword arguments)`` of the status update sent to the
        customer of stale records, or ``(False, {})`` for none."""
        return False, {}

    def _stale_recipients(self):
        """The stale records whose customer gets the status update."""
        return self.filtered("partner_id")

    @api.model
    def _cron_stale_check(self, batch_size=200):
        """Flag a batch of stale records and send their customers a status
        update (one composer per batch); report the rest to the cron worker."""
        now = fields.Datetime.now()
        self.env.flush_all()  # the candidates may be found in SQL
        stale, remaining = self._stale_candidates(now, batch_size)
        if stale:
            stale.write({"is_stale": True, "stale_notified_date": now})
            template, post_kwargs = stale._stale_status_update()
            if template:
                stale._stale_recipients()._post_template_batch(template, **post_kwargs)
        self.env["ir.cron"]._notify_progress(done=len(stale), remaining=remaining)
        return stale
