from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

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

    # ------------------------------------------------------------------
    # Staff management by a dealer or distributor admin
    # ------------------------------------------------------------------

    def _aftersales_portal_staff_domain(self):
        """Contacts this admin manages: those of its company and, for a
        distributor, of every company below it. Empty domain result for
        anyone else."""
        self.ensure_one()
        if self.aftersales_portal_scope not in ("dealer_admin", "distributor_admin"):
            return [("id", "=", False)]
        return [
            ("is_company", "=", False),
            ("parent_id.aftersales_path", "=like", self.aftersales_portal_network_path),
        ]

    def _aftersales_portal_staff(self):
        # sudo: portal users cannot read other contacts; the domain above is
        # the check (the admin's own network only)
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(self._aftersales_portal_staff_domain(), order="parent_id, name")
        )

    def _aftersales_portal_check_staff(self, contact):
        self.ensure_one()
        if contact not in self._aftersales_portal_staff():
            raise AccessError(self.env._("You cannot manage this contact."))
        return contact.sudo()

    def _aftersales_portal_invite(self, name, email, company=None):
        """Create the contact of a new staff member under ``company`` (the
        admin's own by default) and invite it with Odoo's portal invitation
        (signup email), which creates its portal user."""
        self.ensure_one()
        own = self.partner_id.commercial_partner_id
        company = company or own
        allowed = self._aftersales_portal_staff().mapped("parent_id") | own
        if self.aftersales_portal_scope == "distributor_admin":
            allowed |= (
                self.env["res.partner"]
                .sudo()
                .search(
                    [
                        ("is_company", "=", True),
                        (
                            "aftersales_path",
                            "=like",
                            self.aftersales_portal_network_path,
                        ),
                    ]
                )
            )
        if (
            self.aftersales_portal_scope
            not in (
                "dealer_admin",
                "distributor_admin",
            )
            or company not in allowed
        ):
            raise AccessError(self.env._("You cannot invite staff for this company."))
        contact = (
            self.env["res.partner"]
            .sudo()
            .create({"name": name, "email": email, "parent_id": company.id})
        )
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .with_context(active_model="res.partner", active_ids=contact.ids)
            .create({})
        )
        wizard.user_ids.action_grant_access()
        return contact

    def _aftersales_portal_set_access(self, contact, active):
        """Deactivate or reactivate the portal login of a staff member."""
        contact = self._aftersales_portal_check_staff(contact)
        if contact.user_ids.filtered(lambda u: u == self):
            raise AccessError(self.env._("You cannot deactivate your own login."))
        users = contact.with_context(active_test=False).user_ids
        users.filtered(lambda u: u.share).write({"active": active})

    def _aftersales_portal_set_admin(self, contact, admin):
        contact = self._aftersales_portal_check_staff(contact)
        contact.aftersales_portal_admin = admin
