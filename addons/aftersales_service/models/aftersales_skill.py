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
