from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import PRIORITIES, TIERS


class AftersalesSlaPolicy(models.Model):
    """A service level promise.

    Matching rule (see README): a policy applies to a ticket when every criterion
    it sets (team, ticket type, priority, customer tier, countries) equals the
    ticket's; among the applicable active policies of the ticket's company the one
    setting the most criteria wins, then the lowest sequence, then the oldest.
    When no policy setting a criterion applies, the ticket type's default policy
    is used, and without one a catch-all policy (no criterion set).
    """

    _name = "aftersales.sla.policy"
    _description = "After-Sales SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    description = fields.Text(translate=True)
    team_id = fields.Many2one("aftersales.team", check_company=True, index=True)
    ticket_type_id = fields.Many2one("aftersales.ticket.type")
    priority = fields.Selection(PRIORITIES, help="Leave empty for every priority.")
    customer_tier = fields.Selection(TIERS, help="Leave empty for every customer tier.")
    country_ids = fields.Many2many(
        "res.country", string="Countries", help="Leave empty for every country."
    )
    response_hours = fields.Float(
        required=True,
        default=8.0,
        help="Working hours to the first answer to the customer.",
    )
    resolution_hours = fields.Float(
        required=True, default=40.0, help="Working hours to reach a closing stage."
    )
    warning_ratio = fields.Float(
        string="Warning at (%)",
        default=80.0,
        help="A ticket is at risk once this share of the allowed working time is used.",
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate To",
        domain="[('share', '=', False)]",
        help="Receives the escalation activity when a ticket breaches this policy. "
        "Defaults to the leader of the team's escalation team, then the team leader.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    def _compute_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.ticket_count = counts.get(policy, 0)

    @api.constrains("response_hours", "resolution_hours", "warning_ratio")
    def _check_hours(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolution_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: response and resolution times must be "
                        "more than zero working hours.",
                        name=policy.name,
                    )
                )
            if policy.resolution_hours < policy.response_hours:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: the resolution time cannot be shorter "
                        "than the response time.",
                        name=policy.name,
                    )
                )
            if not 0 < policy.warning_ratio < 100:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: the warning threshold must be between "
                        "0 and 100 %%.",
                        name=policy.name,
                    )
                )

    def _specificity(self):
        self.ensure_one()
        return sum(
            bool(criterion)
            for criterion in (
                self.team_id,
                self.ticket_type_id,
                self.priority,
                self.customer_tier,
                self.country_ids,
            )
        )

    def _applies_to(self, ticket):
        self.ensure_one()
        return (
            (not self.team_id or self.team_id == ticket.team_id)
            and (
                not self.ticket_type_id or self.ticket_type_id == ticket.ticket_type_id
            )
            and (not self.priority or self.priority == ticket.priority)
            and (not self.customer_tier or self.customer_tier == ticket.customer_tier)
            and (not self.country_ids or ticket.country_id in self.country_ids)
        )

    @api.model
    def _find_for_tickets(self, tickets):
        """Best policy per ticket, as a dict ``{ticket: policy}``; one search for
        the whole batch. Order: the most specific matching policy setting at least
        one criterion, else the ticket type's default policy, else a policy setting
        no criterion (a catch-all)."""
        policies = self.sudo().search([("company_id", "in", tickets.company_id.ids)])
        ranked = sorted(policies, key=lambda p: (-p._specificity(), p.sequence, p.id))
        result = {}
        for ticket in tickets:
            candidates = [
                policy
                for policy in ranked
                if policy.company_id == ticket.company_id and policy._applies_to(ticket)
            ]
            specific = [policy for policy in candidates if policy._specificity()]
            default = ticket.ticket_type_id.sla_policy_id.sudo()
            if default and (
                not default.active or default.company_id != ticket.company_id
            ):
                default = self.browse()
            best = (
                specific[0]
                if specific
                else default or (candidates[0] if candidates else self.browse())
            )
            result[ticket] = best
        return result
