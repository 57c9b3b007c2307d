import ast

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    _description = "After-Sales Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        domain="[('share', '=', False)]",
        tracking=True,
    )
    member_ids = fields.Many2many(
        "res.users",
        "aftersales_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False)]",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="SLA deadlines are planned in these working hours, in their timezone, "
        "skipping their public holidays.",
    )
    tz = fields.Selection(related="resource_calendar_id.tz", string="Timezone")
    country_ids = fields.Many2many("res.country", string="Countries Served")
    lang_ids = fields.Many2many("res.lang", string="Languages Served")
    escalation_team_id = fields.Many2one(
        "aftersales.team",
        check_company=True,
        help="Its leader is notified when a ticket of this team breaches its SLA.",
    )
    stage_ids = fields.Many2many(
        "aftersales.stage",
        "aftersales_stage_team_rel",
        "team_id",
        "stage_id",
        string="Stages",
    )
    assignment_method = fields.Selection(
        [
            ("manual", "Manual"),
            ("round_robin", "Round Robin"),
            ("least_open", "Least Open Tickets"),
        ],
        default="manual",
        required=True,
        help="How new tickets are given to members whose countries, languages and "
        "skills fit the ticket. A manually chosen assignee always wins.",
    )
    last_assigned_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Tickets")
    open_ticket_count = fields.Integer(compute="_compute_ticket_stats")
    unassigned_ticket_count = fields.Integer(compute="_compute_ticket_stats")
    at_risk_ticket_count = fields.Integer(compute="_compute_ticket_stats")
    breached_ticket_count = fields.Integer(compute="_compute_ticket_stats")

    def _compute_ticket_stats(self):
        groups = self.env["aftersales.ticket"]._read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False)],
            ["team_id", "sla_state", "user_id"],
            ["__count"],
        )
        stats = {
            team: dict.fromkeys(("open", "unassigned", "at_risk", "breached"), 0)
            for team in self
        }
        for team, sla_state, user, count in groups:
            values = stats[team]
            values["open"] += count
            if not user:
                values["unassigned"] += count
            if sla_state in ("at_risk", "breached"):
                values[sla_state] += count
        for team in self:
            team.open_ticket_count = stats[team]["open"]
            team.unassigned_ticket_count = stats[team]["unassigned"]
            team.at_risk_ticket_count = stats[team]["at_risk"]
            team.breached_ticket_count = stats[team]["breached"]

    @api.constrains("resource_calendar_id")
    def _check_calendar(self):
        for team in self:
            if not team.resource_calendar_id._aftersales_has_working_time():
                raise ValidationError(
                    self.env._(
                        "Team %(team)s: the working schedule %(calendar)s has no fixed "
                        "working hours; SLA deadlines cannot be planned in it.",
                        team=team.name,
                        calendar=team.resource_calendar_id.display_name,
                    )
                )

    @api.constrains("escalation_team_id")
    def _check_escalation_team(self):
        for team in self:
            if team.escalation_team_id == team:
                raise ValidationError(
                    self.env._(
                        "Team %(team)s cannot escalate to itself.", team=team.name
                    )
                )

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("aftersales.ticket")
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
            values["alias_defaults"] = defaults
        return values

    def _escalation_user(self):
        """Who breached tickets of this team go to (nobody for a ticket without
        a team: the SLA cron notes that no escalation target is set)."""
        if not self:
            return self.env["res.users"]
        self.ensure_one()
        return self.escalation_team_id.user_id or self.user_id

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action

    # what aftersales.ticket._assignment_team_snapshot() keeps of a team
    _ASSIGNMENT_CACHED_FIELDS = {"member_ids", "assignment_method", "company_id"}

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("stage_ids") for vals in vals_list):
            # the stages' teams changed: aftersales.stage._aftersales_stage_order()
            self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "stage_ids" in vals or self._ASSIGNMENT_CACHED_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
