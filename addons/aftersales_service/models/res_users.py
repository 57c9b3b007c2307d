from odoo import fields, models

# what aftersales.ticket._assignment_team_snapshot() keeps of an engineer
ASSIGNMENT_CACHED_FIELDS = {
    "active",
    "aftersales_team_ids",
    "aftersales_skill_ids",
    "aftersales_country_ids",
    "aftersales_lang_ids",
}


class ResUsers(models.Model):
    _inherit = "res.users"

    aftersales_team_ids = fields.Many2many(
        "aftersales.team",
        "aftersales_team_member_rel",
        "user_id",
        "team_id",
        string="Service Teams",
    )
    aftersales_skill_ids = fields.Many2many(
        "aftersales.skill",
        string="Service Skills",
        help=(
            "Skills this engineer has; tickets needing skills go to members having "
            "all of them."
        ),
    )
    aftersales_country_ids = fields.Many2many(
        "res.country",
        "aftersales_user_country_rel",
        "user_id",
        "country_id",
        string="Countries Served",
        help="Leave empty to take tickets from every country.",
    )
    aftersales_lang_ids = fields.Many2many(
        "res.lang",
        "aftersales_user_lang_rel",
        "user_id",
        "lang_id",
        string="Languages Spoken",
        help="Leave empty to take tickets in every language.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "aftersales_team_ids",
            "aftersales_skill_ids",
            "aftersales_country_ids",
            "aftersales_lang_ids",
        ]

    def write(self, vals):
        if ASSIGNMENT_CACHED_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    def _aftersales_fits(self, ticket):
        """Whether this user can take the ticket: countries, languages, skills."""
        self.ensure_one()
        if (
            self.aftersales_country_ids
            and ticket.country_id not in self.aftersales_country_ids
        ):
            return False
        if (
            self.aftersales_lang_ids
            and ticket.lang not in self.aftersales_lang_ids.mapped("code")
        ):
            return False
        required = ticket.ticket_type_id.skill_ids
        return not (required - self.aftersales_skill_ids)
