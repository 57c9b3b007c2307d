from odoo import api, fields, models


class AftersalesDealerPoints(models.Model):
    """The claims' rules in the dealers' points ledger."""

    _inherit = "aftersales.dealer.points"

    rule = fields.Selection(
        selection_add=[
            ("claim_rejected", "Claim Rejected"),
            ("claim_suspicious", "Claim Suspicious"),
        ],
        ondelete={"claim_rejected": "cascade", "claim_suspicious": "cascade"},
    )

    @api.model
    def _points_source_models(self):
        return super()._points_source_models() + ["aftersales.claim"]

    @api.model
    def _points_reversal_notes(self):
        return {
            **super()._points_reversal_notes(),
            "claim_rejected": self.env._("Reversed: the claim is no longer rejected."),
            "claim_suspicious": self.env._(
                "Reversed: the claim is no longer flagged suspicious."
            ),
        }
