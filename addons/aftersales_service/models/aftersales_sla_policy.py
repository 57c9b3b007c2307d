from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..const import PRIORITIES, TIERS
from ..tools.matching import counted_specificity, country_precision, most_specific


class AftersalesSlaPolicy(models.Model):
    """A service level promise.

    Chosen by the matching rule (README, "The matching rule";
    ``tools/matching.py``): criteria team, ticket type, priority, customer tier
    and countries (countries and country groups); the policy setting the most
    criteria wins. When no policy setting a criterion applies, the ticket type's
    default policy is used, and without one a catch-all policy (no criterion set).
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
    country_group_ids = fields.Many2many(
        "res.country.group",
        string="Country Groups",
        help="The policy also applies to the countries of these groups.",
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

    def _specificity(self, ticket, countries):
        """Specificity of this policy for ``ticket`` (``tools/matching.py``): the
        criteria it sets, a country reached through a country group weighing a
        little less than a listed one; ``None`` when it does not apply.
        ``countries``: ``(listed ids, ids of its groups' countries, whether it
        has country groups)``."""
        self.ensure_one()
        listed, group_countries, has_groups = countries
        return self._specificity_of(
            (
                self.id,
                self.company_id.id,
                self.sequence,
                self.team_id.id,
                self.ticket_type_id.id,
                self.priority,
                self.customer_tier,
                frozenset(listed),
                frozenset(group_countries),
                has_groups,
            ),
            ticket,
        )

    @api.model
    def _specificity_of(self, row, ticket):
        """_specificity() of a policy given as a row of _matching_rows()."""
        _id, _company, _seq, team, ticket_type, priority, tier, *countries = row
        listed, group_countries, has_groups = countries
        if (
            (team and team != ticket.team_id.id)
            or (ticket_type and ticket_type != ticket.ticket_type_id.id)
            or (priority and priority != ticket.priority)
            or (tier and tier != ticket.customer_tier)
        ):
            return None
        criteria = sum(
            bool(criterion) for criterion in (team, ticket_type, priority, tier)
        )
        precision = country_precision(
            ticket.country_id.id, listed, has_groups, group_countries
        )
        return counted_specificity(criteria, precision)

    @api.model
    @tools.ormcache("policy_id")
    def _sla_hours(self, policy_id):
        """``(response hours, resolution hours, warning ratio in %)`` of the
        policy ``policy_id``, kept per registry until a policy changes (see
        write()): a ticket's deadlines are planned without reading its policy."""
        policy = self.sudo().browse(policy_id)
        return (policy.response_hours, policy.resolution_hours, policy.warning_ratio)

    @api.model
    @tools.ormcache("company_ids")
    def _matching_rows(self, company_ids):
        """The active policies of ``company_ids`` as the matching rule reads them,
        ``(id, company id, sequence, team id, ticket type id, priority, customer
        tier, listed country ids, ids of the countries of its groups, whether it
        has country groups)`` in the policies' order: read once per registry
        (two queries) and kept until a policy or a country group changes (see
        write(), create(), unlink() here and on res.country.group), so that a
        ticket's creation spends no query on choosing its policy."""
        policies = self.sudo().search([("company_id", "in", list(company_ids))])
        countries = policies._country_sets()
        return tuple(
            (
                policy.id,
                policy.company_id.id,
                policy.sequence,
                policy.team_id.id,
                policy.ticket_type_id.id,
                policy.priority or False,
                policy.customer_tier or False,
                frozenset(countries[policy.id][0]),
                frozenset(countries[policy.id][1]),
                countries[policy.id][2],
            )
            for policy in policies
        )

    @api.model_create_multi
    def create(self, vals_list):
        # _matching_rows(), _sla_hours(), aftersales.ticket.type._sla_default_policy()
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        # _matching_rows(), _sla_hours(), aftersales.ticket.type._sla_default_policy()
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        # _matching_rows(), _sla_hours(), aftersales.ticket.type._sla_default_policy()
        self.env.registry.clear_cache()
        return super().unlink()

    def _country_sets(self):
        """``{policy id: (listed country ids, ids of the countries of its country
        groups, whether it has country groups)}`` in one query: the one query
        the ticket's creation spends on countries, as when it read the listed
        countries only."""
        if not self:
            return {}
        listed = self._fields["country_ids"]
        groups = self._fields["country_group_ids"]
        group_countries = self.env["res.country.group"]._fields["country_ids"]
        self.flush_model(["country_ids", "country_group_ids"])
        self.env["res.country.group"].flush_model(["country_ids"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id,
                       ARRAY(SELECT l.%(l_country)s FROM %(l_rel)s l
                              WHERE l.%(l_policy)s = p.id),
                       ARRAY(SELECT gc.%(gc_country)s FROM %(g_rel)s g
                               JOIN %(gc_rel)s gc ON gc.%(gc_group)s = g.%(g_group)s
                              WHERE g.%(g_policy)s = p.id),
                       EXISTS(SELECT 1 FROM %(g_rel)s g WHERE g.%(g_policy)s = p.id)
                  FROM aftersales_sla_policy p
                 WHERE p.id = ANY(%(ids)s)
                """,
                l_rel=SQL.identifier(listed.relation),
                l_policy=SQL.identifier(listed.column1),
                l_country=SQL.identifier(listed.column2),
                g_rel=SQL.identifier(groups.relation),
                g_policy=SQL.identifier(groups.column1),
                g_group=SQL.identifier(groups.column2),
                gc_rel=SQL.identifier(group_countries.relation),
                gc_group=SQL.identifier(group_countries.column1),
                gc_country=SQL.identifier(group_countries.column2),
                ids=self.ids,
            )
        )
        return {
            policy_id: (set(listed_ids), set(group_ids), has_groups)
            for policy_id, listed_ids, group_ids, has_groups in self.env.cr.fetchall()
        }

    @api.model
    def _find_for_tickets(self, tickets):
        """Best policy per ticket, as a dict ``{ticket: policy}``, from the cached
        _matching_rows() (no query once read). Order: the most specific matching
        policy setting at least one criterion, else the ticket type's default
        policy, else a policy setting no criterion (a catch-all)."""
        rows = self._matching_rows(tuple(sorted(tickets.company_id.ids)))
        Types = self.env["aftersales.ticket.type"]
        result = {}
        for ticket in tickets:
            candidates = [
                (self._specificity_of(row, ticket), row[2], row[0], row)
                for row in rows
                if row[1] == ticket.company_id.id
            ]
            best = most_specific(candidates)
            if not best or not any(self._specificity_of(best, ticket)):
                default = ticket.ticket_type_id.id and Types._sla_default_policy(
                    ticket.ticket_type_id.id
                )
                if default and default[1] == ticket.company_id.id:
                    result[ticket] = self.sudo().browse(default[0])
                    continue
            result[ticket] = self.sudo().browse(best[0] if best else ())
        return result
