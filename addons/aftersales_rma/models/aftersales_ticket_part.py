from odoo import fields, models

PART_REQUEST_READERS = (
    "aftersales_service.aftersales_group_user,aftersales_rma.aftersales_group_finance"
)


class AftersalesTicket(models.Model):
    """The spare part requests of a ticket."""

    _inherit = "aftersales.ticket"

    # the brand's side only: a portal user reading a ticket reads no requests
    part_request_ids = fields.One2many(
        "aftersales.part.request",
        "ticket_id",
        string="Part Requests",
        groups=PART_REQUEST_READERS,
    )
    part_request_count = fields.Integer(
        compute="_compute_part_request_count", groups=PART_REQUEST_READERS
    )

    def _compute_part_request_count(self):
        counts = dict(
            self.env["aftersales.part.request"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.part_request_count = counts.get(ticket, 0)

    def action_view_part_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_rma.aftersales_part_request_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
