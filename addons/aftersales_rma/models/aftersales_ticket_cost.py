from odoo import fields, models


class AftersalesTicket(models.Model):
    """The costs of a case (its own and those of its RMAs), by type and payer."""

    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "aftersales.cost.total.mixin"]
    _cost_line_field = "ticket_id"

    cost_line_ids = fields.One2many(
        "aftersales.cost.line",
        "ticket_id",
        string="Cost Lines",
        groups="aftersales_service.aftersales_group_user,aftersales_rma.aftersales_group_finance",
    )
