from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import claim_math

COST_TYPES = [
    ("parts", "Parts"),
    ("labour", "Labour"),
    ("travel", "Travel"),
    ("other", "Other"),
]
LINE_DECISIONS = [
    ("pending", "To Decide"),
    ("approved", "Approved"),
    ("reduced", "Approved, Reduced"),
    ("rejected", "Rejected"),
]


class AftersalesClaimLine(models.Model):
    """One cost of a dealer claim. Labour is the flat-rate time of the product
    (or the ticket type) from the rate table, plus extra time with a reason,
    times the dealer's hourly rate; travel is capped by the rate table."""

    _name = "aftersales.claim.line"
    _description = "Dealer Warranty Claim Line"
    _order = "claim_id, sequence, id"
    _check_company_auto = True

    claim_id = fields.Many2one(
        "aftersales.claim", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="claim_id.currency_id", store=True)
    cost_type = fields.Selection(COST_TYPES, required=True, default="parts")
    name = fields.Char(string="Description")
    product_id = fields.Many2one("product.product", check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Monetary(string="Unit Price")
    replaced_serial = fields.Char(string="Replaced Part Serial")
    is_causal = fields.Boolean(
        string="Causal Part", help="The part whose failure caused the repair."
    )
    flat_hours = fields.Float(
        string="Flat-Rate Hours",
        compute="_compute_labour",
        store=True,
        help="From the labour rate table: the product's (or its category's) "
        "flat-rate time, else the ticket type's.",
    )
    extra_hours = fields.Float()
    extra_reason = fields.Char(string="Reason for Extra Time")
    hours = fields.Float(compute="_compute_hours", store=True)
    hourly_rate = fields.Monetary(compute="_compute_labour", store=True)
    travel_cap = fields.Monetary(compute="_compute_labour", store=True)
    amount_claimed = fields.Monetary(compute="_compute_amount_claimed", store=True)
    decision = fields.Selection(
        LINE_DECISIONS, required=True, default="pending", copy=False
    )
    amount_approved = fields.Monetary(
        compute="_compute_amount_approved",
        store=True,
        readonly=False,
        copy=False,
        help="Approved: the amount claimed; rejected: zero; reduced: the lower "
        "amount the adjudicator enters.",
    )
    decision_reason = fields.Char(copy=False)

    @api.depends(
        "cost_type",
        "claim_id.product_id",
        "claim_id.ticket_id.ticket_type_id",
        "claim_id.dealer_id",
        "claim_id.company_id",
    )
    def _compute_labour(self):
        Rate = self.env["aftersales.labour.rate"]
        for company, lines in self.grouped("company_id").items():
            table = Rate._flat_time_table(company)
            hourly = Rate._hourly_rates_for(lines.claim_id.dealer_id, company)
            for line in lines:
                claim = line.claim_id
                rate = hourly.get(claim.dealer_id.id) or Rate
                line.hourly_rate = (
                    rate.currency_id._convert(
                        rate.hourly_rate,
                        claim.currency_id,
                        company,
                        claim.repair_date or fields.Date.today(),
                    )
                    if rate and claim.currency_id
                    else 0.0
                )
                line.travel_cap = (
                    rate.currency_id._convert(
                        rate.travel_cap,
                        claim.currency_id,
                        company,
                        claim.repair_date or fields.Date.today(),
                    )
                    if rate and claim.currency_id
                    else 0.0
                )
                line.flat_hours = (
                    Rate._flat_hours_in(
                        table, claim.product_id, claim.ticket_id.ticket_type_id
                    )
                    if line.cost_type == "labour"
                    else 0.0
                )
        for line in self - self.filtered("company_id"):
            line.flat_hours = line.hourly_rate = line.travel_cap = 0.0

    @api.depends("cost_type", "flat_hours", "extra_hours")
    def _compute_hours(self):
        for line in self:
            line.hours = (
                claim_math.labour_hours(line.flat_hours, line.extra_hours)
                if line.cost_type == "labour"
                else 0.0
            )

    @api.depends(
        "cost_type", "quantity", "price_unit", "hours", "hourly_rate", "travel_cap"
    )
    def _compute_amount_claimed(self):
        for line in self:
            line.amount_claimed = claim_math.line_amount(
                line.cost_type,
                line.quantity,
                line.price_unit,
                line.hours,
                line.hourly_rate,
                line.travel_cap,
            )

    @api.depends("decision", "amount_claimed")
    def _compute_amount_approved(self):
        for line in self:
            if line.decision == "approved":
                line.amount_approved = line.amount_claimed
            elif line.decision in ("rejected", "pending"):
                line.amount_approved = 0.0
            elif not line.amount_approved:
                # reduced: starts from the amount claimed, for the adjudicator
                # to lower; an amount already entered stays
                line.amount_approved = line.amount_claimed

    @api.constrains("extra_hours", "extra_reason")
    def _check_extra_reason(self):
        for line in self:
            if line.extra_hours and not (line.extra_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Extra labour time needs a reason (line %(line)s).",
                        line=line.name or line.claim_id.name,
                    )
                )
            if line.extra_hours < 0:
                raise ValidationError(self.env._("Extra hours cannot be negative."))

    def _check_decisions(self):
        """A UserError for a reduced line not below its claimed amount, and for
        a reduced or rejected line without reason."""
        for line in self:
            if (
                line.decision in ("reduced", "rejected")
                and not (line.decision_reason or "").strip()
            ):
                raise UserError(
                    self.env._(
                        "Give the reason of the decision on %(line)s (%(claim)s).",
                        line=line.name or line.cost_type,
                        claim=line.claim_id.name,
                    )
                )
            if line.decision == "reduced" and not (
                0 <= line.amount_approved < line.amount_claimed
            ):
                raise UserError(
                    self.env._(
                        "A reduced line is approved for less than its claimed "
                        "amount: %(line)s (%(claim)s).",
                        line=line.name or line.cost_type,
                        claim=line.claim_id.name,
                    )
                )
