from datetime import timedelta

from odoo import api, models
from odoo.osv import expression

from .aftersales_rma import OPEN_STATES

DEFAULT_STALE_DAYS = 7  # an RMA without template


class AftersalesRma(models.Model):
    """Stale RMAs: no state change and no shipment event for their template's
    days; the customer gets a status update (``aftersales.stale.mixin``)."""

    _name = "aftersales.rma"
    _inherit = ["aftersales.rma", "aftersales.stale.mixin"]

    @api.model
    def _stale_candidates(self, now, limit):
        """Open RMAs, not flagged yet, without state change nor shipment event
        since their template's ``stale_days``: one grouped read of the templates
        in use, then one search (and one count when the batch is full)."""
        base = [("state", "in", OPEN_STATES[1:]), ("is_stale", "=", False)]
        per_template = []
        for (template,) in self._read_group(base, ["template_id"]):
            days = template.stale_days if template else DEFAULT_STALE_DAYS
            if days <= 0:
                continue
            cutoff = now - timedelta(days=days)
            per_template.append(
                [
                    ("template_id", "=", template.id),
                    ("date_last_state", "<", cutoff),
                    ("shipment_ids", "not any", [("event_ids.date", ">=", cutoff)]),
                ]
            )
        if not per_template:
            return self.browse(), 0
        domain = expression.AND([base, expression.OR(per_template)])
        rmas = self.search(domain, limit=limit, order="id")
        remaining = 0
        if len(rmas) == limit:
            remaining = self.search_count(domain) - len(rmas)
        return rmas, remaining

    def _stale_status_update(self):
        template = self.env.ref(
            "aftersales_rma.mail_template_rma_status_update", raise_if_not_found=False
        )
        return template, {"subtype_xmlid": "mail.mt_comment"}
