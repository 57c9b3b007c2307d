from odoo import api, fields, models, tools


class AftersalesStage(models.Model):
    _name = "aftersales.stage"
    _description = "After-Sales Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Tickets in this stage are resolved: the resolution clock stops.",
    )
    is_cancelled = fields.Boolean(
        string="Cancelling Stage",
        help="Tickets in this stage were withdrawn (cancelled, duplicates): their "
        "SLA is neither met nor failed. Use it together with Closing Stage.",
    )
    pause_sla = fields.Boolean(
        string="Pause SLA",
        help="While a ticket waits in this stage (e.g. for the customer), its SLA "
        "clock stops; the time spent here is added back to its deadlines.",
    )
    team_ids = fields.Many2many(
        "aftersales.team",
        "aftersales_stage_team_rel",
        "stage_id",
        "team_id",
        string="Teams",
        help="Teams using this stage; leave empty for all teams.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'aftersales.ticket')]",
        help="Email sent to the customer when a ticket enters this stage. Use a "
        "rating request template on a closing stage to ask for a CSAT rating.",
    )

    @api.model
    @tools.ormcache()
    def _aftersales_stage_order(self):
        """The active stages in their order, as ``((stage id, frozenset of team
        ids, email template id or False), ...)``: the first stage of a new
        ticket's team and its email are taken from it without a query. Cleared
        whenever a stage is created, changed or deleted."""
        stages = self.sudo().search_fetch([], ["team_ids", "template_id"])
        return tuple(
            (stage.id, frozenset(stage.team_ids.ids), stage.template_id.id)
            for stage in stages
        )

    @api.model
    @tools.ormcache()
    def _aftersales_stage_flags(self):
        """``{stage id: (is_closed, is_cancelled)}`` of every stage, archived ones
        included: a ticket's creation and its SLA status read them without a
        query. Cleared whenever a stage is created, changed or deleted."""
        stages = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch([], ["is_closed", "is_cancelled"])
        )
        return {stage.id: (stage.is_closed, stage.is_cancelled) for stage in stages}

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        cached = {"sequence", "active", "team_ids", "template_id"}
        if (cached | {"is_closed", "is_cancelled"}) & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
