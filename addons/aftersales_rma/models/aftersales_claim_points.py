from odoo import api, fields, models

from odoo.addons.aftersales_service.tools.dealer_points import claim_rules


class AftersalesClaim(models.Model):
    """The dealer points a claim costs its dealer: rejected, flagged suspicious."""

    _inherit = "aftersales.claim"

    @api.model
    def _dealer_points_events(self, since):
        """``[(company id, dealer id, rule, model, id, date)]`` of the submitted
        claims changed since ``since`` that were rejected or flagged."""
        claims = self.search(
            [
                ("write_date", ">=", since),
                ("state", "!=", "draft"),
                "|",
                ("state", "=", "rejected"),
                ("suspicious", "=", True),
            ]
        )
        today = fields.Date.context_today(self)
        return [
            (
                claim.company_id.id,
                claim.dealer_id.id,
                rule,
                self._name,
                claim.id,
                today,
            )
            for claim in claims
            for rule in claim_rules(claim.dealer_id.id, claim.state, claim.suspicious)
        ]
