from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.dealer_grade import grade_of, grade_score

DEALER_GRADES = [("A", "A"), ("B", "B"), ("C", "C")]


class AftersalesDealerGrade(models.Model):
    """A dealer's grade for one month, kept as history: the weighted score of its
    scorecard (tools/dealer_grade.py), computed by a monthly cron."""

    _name = "aftersales.dealer.grade"
    _description = "After-Sales Dealer Grade"
    _order = "period desc, dealer_id"

    dealer_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    period = fields.Date(required=True, index=True, help="First day of the month.")
    score = fields.Float(aggregator="avg")
    grade = fields.Selection(DEALER_GRADES, index=True)
    sla_attained = fields.Float(string="SLA Attainment")
    csat = fields.Float(string="CSAT")
    first_time_fix = fields.Float(string="First-Time Fix Rate")
    registration_on_time = fields.Float(string="Registered on Time")
    ticket_count = fields.Integer(string="# Tickets")

    _sql_constraints = [
        (
            "dealer_period_company_uniq",
            "unique(dealer_id, period, company_id)",
            "A dealer has one grade per month and company.",
        ),
    ]

    @api.model
    def _cron_grade_dealers(self, today=None):
        """Grade every dealer with activity in the month before ``today``."""
        today = today or fields.Date.context_today(self)
        start = today.replace(day=1) - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            self._grade_period(company, start)

    def _grade_period(self, company, start):
        end = start + relativedelta(months=1)
        rows = self.env["aftersales.dealer.report"]._read_group(
            [
                ("company_id", "=", company.id),
                ("date", ">=", start),
                ("date", "<", end),
            ],
            ["dealer_id"],
            [
                "sla_attained:avg",
                "rating:avg",
                "first_time_fix:avg",
                "registration_on_time:avg",
                "ticket_count:sum",
            ],
        )
        existing = {
            grade.dealer_id: grade
            for grade in self.search(
                [("company_id", "=", company.id), ("period", "=", start)]
            )
        }
        new_vals = []
        for dealer, sla, csat, ftf, on_time, tickets in rows:
            score = grade_score(sla, csat, ftf, on_time)
            values = {
                "score": score or 0.0,
                "grade": grade_of(
                    score,
                    company.aftersales_grade_a_threshold,
                    company.aftersales_grade_b_threshold,
                ),
                "sla_attained": sla or 0.0,
                "csat": csat or 0.0,
                "first_time_fix": ftf or 0.0,
                "registration_on_time": on_time or 0.0,
                "ticket_count": tickets or 0,
            }
            if dealer in existing:
                existing[dealer].write(values)
            else:
                new_vals.append(
                    dict(
                        values,
                        dealer_id=dealer.id,
                        company_id=company.id,
                        period=start,
                    )
                )
        grades = self.create(new_vals) if new_vals else self.browse()
        return grades | self.browse([g.id for g in existing.values()])
