from odoo import api, fields, models

from .aftersales_dealer_grade import DEALER_GRADES


class ResPartner(models.Model):
    """A dealer's current grade (its latest month) and the grade history."""

    _inherit = "res.partner"

    aftersales_grade_ids = fields.One2many(
        "aftersales.dealer.grade", "dealer_id", string="Grade History"
    )
    aftersales_grade = fields.Selection(
        DEALER_GRADES,
        string="Dealer Grade",
        compute="_compute_aftersales_grade",
        store=True,
        index=True,
    )
    aftersales_grade_score = fields.Float(
        string="Dealer Score", compute="_compute_aftersales_grade", store=True
    )

    @api.depends("aftersales_grade_ids.period", "aftersales_grade_ids.grade")
    def _compute_aftersales_grade(self):
        for partner in self:
            latest = partner.aftersales_grade_ids.sorted("period", reverse=True)[:1]
            partner.aftersales_grade = latest.grade
            partner.aftersales_grade_score = latest.score
