from odoo import fields, models


class AftersalesTeam(models.Model):
    """What a team's work costs: the hourly cost of its labour and the analytic
    account its cost lines are booked on."""

    _inherit = "aftersales.team"

    cost_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Cost Currency"
    )
    hourly_cost = fields.Monetary(
        currency_field="cost_currency_id",
        help="What one hour of this team's labour costs the company; the labour "
        "of a done repair is its hours times this cost.",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account",
        check_company=True,
        help="The cost lines of this team's cases are booked on this account.",
    )
