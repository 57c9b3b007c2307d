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
    aftersales_dispatch_prefer_grade = fields.Boolean(
        string="Prefer Higher-Graded Dealers in Dispatch",
        help="Among engineers equal for the assignment (as many open tickets), "
        "the one of the better-graded dealer gets the ticket.",
    )
    aftersales_points_sla_met = fields.Integer(
        string="Points per SLA Met",
        default=10,
        help="Incentive points a dealer earns for a ticket closed within its SLA "
        "(0: rule off).",
    )
    aftersales_points_five_star = fields.Integer(
        string="Points per 5-Star Rating",
        default=5,
        help="Incentive points a dealer earns for a ticket rated 5 stars.",
    )
    aftersales_points_registration = fields.Integer(
        string="Points per Registration on Time",
        default=2,
        help="Incentive points a dealer earns for a warranty registration made "
        "within the registration window of its warranty rule.",
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
            "aftersales_points_positive",
            "CHECK(aftersales_points_sla_met >= 0 "
            "AND aftersales_points_five_star >= 0 "
            "AND aftersales_points_registration >= 0)",
            "Incentive points per rule cannot be negative.",
        ),
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

    def _aftersales_points_per_rule(self):
        """``{rule: points}`` of this company's incentive settings (losses as
        positive values, tools/dealer_points.py signs them)."""
        self.ensure_one()
        return {
            "sla_met": self.aftersales_points_sla_met,
            "five_star": self.aftersales_points_five_star,
            "registration_on_time": self.aftersales_points_registration,
        }

    def write(self, vals):
        if "aftersales_dispatch_prefer_grade" in vals:
            # kept by aftersales.ticket._assignment_team_snapshot()
            self.env.registry.clear_cache()
        return super().write(vals)
