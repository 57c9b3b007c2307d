from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_claim_window_days = fields.Integer(
        string="Claim Window (days)",
        default=30,
        help="A dealer claim submitted more than this many days after the repair "
        "is flagged late (0: no window).",
    )
    aftersales_claim_repeat_days = fields.Integer(
        string="Repeat Repair Days",
        default=90,
        help="A claim for a repair of the same serial within this many days of "
        "another claimed repair is flagged.",
    )
    aftersales_claim_manager_limit = fields.Monetary(
        string="Claim Manager Limit",
        currency_field="currency_id",
        help="Claims approved above this amount (company currency) need an "
        "after-sales manager (0: no limit).",
    )
    aftersales_claim_auto_amount = fields.Monetary(
        string="Claim Auto-Approval Amount",
        currency_field="currency_id",
        help="Claims without findings up to this amount (company currency) are "
        "approved on submission (0: never).",
    )
    aftersales_claim_pay_before_return = fields.Boolean(
        string="Pay Claims Before the Faulty Part Arrives",
        help="Pay an approved claim before the faulty part asked back by the "
        "warranty policy has been received.",
    )
    aftersales_points_claim_rejected = fields.Integer(
        string="Points Lost per Rejected Claim",
        default=20,
        help="Incentive points a dealer loses for a claim rejected (0: rule off).",
    )
    aftersales_points_claim_suspicious = fields.Integer(
        string="Points Lost per Suspicious Claim",
        default=10,
        help="Incentive points a dealer loses for a submitted claim flagged "
        "suspicious by the checks.",
    )
    aftersales_claim_product_id = fields.Many2one(
        "product.product",
        string="Claim Expense Product",
        help="The product of the vendor bill lines that pay dealer claims (its "
        "expense account is used).",
    )

    _sql_constraints = [
        (
            "aftersales_claim_days_positive",
            (
                "CHECK(aftersales_claim_window_days >= 0 "
                "AND aftersales_claim_repeat_days >= 0)"
            ),
            "The claim windows cannot be negative.",
        ),
        (
            "aftersales_points_claim_positive",
            "CHECK(aftersales_points_claim_rejected >= 0 "
            "AND aftersales_points_claim_suspicious >= 0)",
            "Incentive points per rule cannot be negative.",
        ),
    ]

    def _aftersales_points_per_rule(self):
        rates = super()._aftersales_points_per_rule()
        rates["claim_rejected"] = self.aftersales_points_claim_rejected
        rates["claim_suspicious"] = self.aftersales_points_claim_suspicious
        return rates
