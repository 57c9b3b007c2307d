from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_grade_a_threshold = fields.Float(
        string="Dealer Grade A from",
        default=85.0,
        help="Score (0-100) from which a dealer is graded A.",
    )
    aftersales_grade_b_threshold = fields.Float(
        string="Dealer Grade B from",
        default=70.0,
        help="Score (0-100) from which a dealer is graded B (below: C).",
    )
    aftersales_stale_days = fields.Integer(
        string="Stale Ticket Days",
        default=5,
        help="An open ticket with no message and no open activity for this many "
        "days is flagged stale and its customer receives a status update.",
    )
    aftersales_repeat_claim_days = fields.Integer(
        string="Repeat Claim Days",
        default=30,
        help="A second claim on the same serial number within this many days is "
        "flagged as suspicious.",
    )
    aftersales_ack_immediate = fields.Boolean(
        string="Send Acknowledgements Right Away",
        help="Send the acknowledgement email of a new ticket in the transaction "
        "that creates it, instead of from the queue right after the ticket is "
        "saved (slower creation).",
    )

    _sql_constraints = [
        (
            "aftersales_stale_days_positive",
            "CHECK(aftersales_stale_days > 0)",
            "The number of days before a ticket is stale must be positive.",
        ),
        (
            "aftersales_repeat_claim_days_positive",
            "CHECK(aftersales_repeat_claim_days >= 0)",
            "The repeat claim window cannot be negative.",
        ),
    ]
