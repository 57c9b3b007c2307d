from odoo import fields, models


class AftersalesSkill(models.Model):
    _name = "aftersales.skill"
    _description = "After-Sales Skill"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A skill with this name already exists."),
    ]

    def write(self, vals):
        if "active" in vals:
            # an inactive skill is no longer an engineer's or a ticket type's:
            # aftersales.ticket._assignment_team_snapshot()
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
