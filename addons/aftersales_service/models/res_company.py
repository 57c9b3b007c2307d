from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_stale_days = fields.Integer(
        string="Stale Ticket Days",
        default=5,
        help="An open ticket with no message and no open activity for this many "
        "days is flagged stale and its customer receives a status update.",
    )

    _sql_constraints = [
        (
            "aftersales_stale_days_positive",
            "CHECK(aftersales_stale_days > 0)",
            "The number of days before a ticket is stale must be positive.",
        ),
    ]
