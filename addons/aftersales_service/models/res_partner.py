from odoo import fields, models

from ..const import TIERS


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_tier = fields.Selection(
        TIERS,
        string="Service Tier",
        default="standard",
        index=True,
        help="Service level of the customer; SLA policies can target a tier.",
    )
    aftersales_ticket_ids = fields.One2many(
        "aftersales.ticket", "partner_id", string="Service Tickets"
    )
    aftersales_ticket_count = fields.Integer(
        compute="_compute_aftersales_ticket_count", string="Ticket Count"
    )

    def _compute_aftersales_ticket_count(self):
        groups = self.env["aftersales.ticket"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {}
        for partner, count in groups:
            commercial = partner.commercial_partner_id.id
            counts[commercial] = counts.get(commercial, 0) + count
        for partner in self:
            partner.aftersales_ticket_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
