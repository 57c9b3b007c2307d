from odoo import fields, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    rma_ids = fields.One2many("aftersales.rma", "ticket_id", string="RMAs")
