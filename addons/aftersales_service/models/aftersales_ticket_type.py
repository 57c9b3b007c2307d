from odoo import api, fields, models, tools


class AftersalesTicketType(models.Model):
    _name = "aftersales.ticket.type"
    _description = "After-Sales Ticket Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy",
        string="Default SLA Policy",
        help="Used when no more specific SLA policy matches a ticket of this type.",
    )
    expected_duration = fields.Float(
        string="Expected Duration (hours)", help="Typical working time to handle it."
    )
    failure_codes_required = fields.Boolean(
        help="Tickets of this type are closed only with a cause and a remedy "
        "failure code (the quality loop). Cancelling does not need them.",
    )
    skill_ids = fields.Many2many(
        "aftersales.skill",
        string="Required Skills",
        help=(
            "Tickets of this type are assigned only to engineers having all these "
            "skills."
        ),
    )

    _sql_constraints = [
        (
            "expected_duration_positive",
            "CHECK(expected_duration >= 0)",
            "The expected duration cannot be negative.",
        ),
    ]

    # what is kept per registry and type: the skills the assignment requires
    # (aftersales.ticket._assignment_type_skills()) and the default SLA policy
    # (_sla_default_policy())
    _CACHED_FIELDS = frozenset({"skill_ids", "sla_policy_id"})

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if self._CACHED_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache("type_id")
    def _sla_default_policy(self, type_id):
        """``(policy id, company id)`` of the default SLA policy of the ticket
        type ``type_id`` when it is active, else None: kept per registry, cleared
        when a type's default policy or any SLA policy changes (their write()),
        so that a ticket's creation does not read its type for it."""
        policy = self.sudo().browse(type_id).sla_policy_id
        return (policy.id, policy.company_id.id) if policy.active else None
