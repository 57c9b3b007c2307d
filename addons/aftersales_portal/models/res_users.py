from datetime import timedelta

from odoo import api, fields, models

from ..const import NO_PATH, PORTAL_SCOPES


class ResUsers(models.Model):
    _inherit = "res.users"

    aftersales_portal_scope = fields.Selection(
        PORTAL_SCOPES,
        string="After-Sales Portal Scope",
        compute="_compute_aftersales_portal_scope",
        compute_sudo=True,
        help="What the user sees on the portal: derived from their contact "
        "(a contact of a dealer or distributor of the network, or a customer) "
        "and its Portal Admin flag.",
    )
    aftersales_portal_network_path = fields.Char(
        string="Network Path Pattern",
        compute="_compute_aftersales_portal_scope",
        compute_sudo=True,
        help="LIKE pattern of the dealer paths whose documents the user sees: "
        "their company's path for staff, everything under it for an admin.",
    )

    @api.depends(
        "partner_id.aftersales_portal_admin",
        "partner_id.commercial_partner_id.aftersales_role",
        "partner_id.commercial_partner_id.aftersales_path",
    )
    def _compute_aftersales_portal_scope(self):
        for user in self:
            contact = user.partner_id
            company = contact.commercial_partner_id
            if not company.aftersales_role or not company.aftersales_path:
                user.aftersales_portal_scope = "customer"
                user.aftersales_portal_network_path = NO_PATH
            elif contact.aftersales_portal_admin:
                user.aftersales_portal_scope = (
                    "dealer_admin"
                    if company.aftersales_role == "dealer"
                    else "distributor_admin"
                )
                user.aftersales_portal_network_path = f"{company.aftersales_path}%"
            else:
                user.aftersales_portal_scope = "staff"
                user.aftersales_portal_network_path = company.aftersales_path

    def _aftersales_portal_dashboard_domains(self):
        """The dealer dashboard's tiles: key -> (model, domain), each the domain
        of the filtered list it links to (counted as the user: record rules)."""
        today = fields.Date.context_today(self)
        return {
            "open_tickets": ("aftersales.ticket", [("is_closed", "=", False)]),
            "sla_at_risk": (
                "aftersales.ticket",
                [("is_closed", "=", False), ("sla_state", "=", "at_risk")],
            ),
            "rma_awaiting_return": (
                "aftersales.rma",
                [("state", "=", "awaiting_receipt")],
            ),
            "warranty_expiring": (
                "aftersales.warranty",
                [
                    ("state", "=", "active"),
                    ("date_end", ">=", today),
                    ("date_end", "<=", today + timedelta(days=30)),
                ],
            ),
        }
