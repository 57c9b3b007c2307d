from odoo import Command, fields, models
from odoo.exceptions import UserError


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    rma_ids = fields.One2many("aftersales.rma", "ticket_id", string="RMAs")
    rma_count = fields.Integer(compute="_compute_rma_count", string="RMA Count")

    def _compute_rma_count(self):
        counts = dict(
            self.env["aftersales.rma"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.rma_count = counts.get(ticket, 0)

    def _prepare_rma_values(self):
        self.ensure_one()
        line = {
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "quantity": 1.0,
            "disposition": "repair",
            "warranty_decision": self.warranty_decision,
        }
        return {
            "partner_id": (self.partner_id.commercial_partner_id or self.partner_id).id,
            "dealer_id": self.dealer_id.id,
            "ticket_id": self.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id or self.env.user.id,
            "description": self.description,
            "line_ids": [Command.create(line)],
        }

    def action_create_rma(self):
        """One RMA per ticket, its line with the ticket's product, serial and
        warranty decision; works on a selection of tickets in one batch."""
        for ticket in self:
            if not ticket.partner_id:
                raise UserError(
                    self.env._("Ticket %(ticket)s has no customer.", ticket=ticket.name)
                )
            if not ticket.product_id:
                raise UserError(
                    self.env._("Ticket %(ticket)s has no product.", ticket=ticket.name)
                )
        rmas = self.env["aftersales.rma"].create(
            [ticket._prepare_rma_values() for ticket in self]
        )
        if len(rmas) == 1:
            return rmas._get_records_action(name=self.env._("RMA"))
        return rmas._get_records_action(name=self.env._("RMAs"))

    def action_view_rmas(self):
        return self.rma_ids._get_records_action(name=self.env._("RMAs"))
