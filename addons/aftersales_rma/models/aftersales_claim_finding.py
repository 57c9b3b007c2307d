from odoo import fields, models

FINDING_CHECKS = [
    ("warranty", "Warranty"),
    ("seller", "Seller"),
    ("duplicate", "Duplicate"),
    ("repeat", "Repeat Repair"),
    ("suspicion", "Warranty Engine"),
    ("hours", "Hours Above Flat Rate"),
    ("late", "Late Submission"),
]


class AftersalesClaimFinding(models.Model):
    """One finding of the checks a claim goes through when it is submitted
    (``aftersales.claim._submit_findings``): a reason to look at it closely."""

    _name = "aftersales.claim.finding"
    _description = "Dealer Claim Finding"
    _order = "claim_id, id"

    claim_id = fields.Many2one(
        "aftersales.claim", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    check = fields.Selection(FINDING_CHECKS, required=True)
    message = fields.Char(required=True)
