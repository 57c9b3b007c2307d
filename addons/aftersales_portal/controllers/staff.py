from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.portal.controllers.portal import CustomerPortal

ADMIN_SCOPES = ("dealer_admin", "distributor_admin")


class AftersalesStaffPortal(CustomerPortal):
    """/my/staff: a dealer or distributor admin invites, deactivates and
    promotes the staff of its company (and, for a distributor, below it).
    The checks are on res.users (_aftersales_portal_check_staff)."""

    def _staff_values(self, post=None, errors=None, message=None):
        user = request.env.user
        values = self._prepare_portal_layout_values()
        staff = user._aftersales_portal_staff()
        companies = staff.mapped("parent_id") | user.partner_id.commercial_partner_id
        values.update(
            {
                "page_name": "aftersales_staff",
                "staff": staff,
                "companies": companies.sudo(),
                "post": post or {},
                "errors": errors or {},
                "message": message,
            }
        )
        return values

    @http.route(["/my/staff"], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_staff(self, message=None, **kw):
        if request.env.user.aftersales_portal_scope not in ADMIN_SCOPES:
            return request.redirect("/my")
        messages = {
            "invited": request.env._("The invitation was sent."),
            "updated": request.env._("The contact was updated."),
        }
        return request.render(
            "aftersales_portal.portal_my_staff",
            self._staff_values(message=messages.get(message)),
        )

    @http.route(
        ["/my/staff/invite"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_staff_invite(self, name="", email="", company_id="", **kw):
        user = request.env.user
        if user.aftersales_portal_scope not in ADMIN_SCOPES:
            return request.redirect("/my")
        _ = request.env._
        post = {"name": name, "email": email, "company_id": company_id}
        errors = {}
        if not name.strip():
            errors["name"] = _("This field is required.")
        normalized = email_normalize(email)
        if not normalized:
            errors["email"] = _("This email address is not valid.")
        elif (
            request.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("login", "=", normalized)], limit=1)
        ):
            errors["email"] = _("A user with this email address already exists.")
        company = (
            request.env["res.partner"]
            .sudo()
            .browse(int(company_id) if company_id.isdigit() else [])
        )
        if not errors:
            try:
                user._aftersales_portal_invite(
                    name.strip(), normalized, company or None
                )
            except (AccessError, UserError) as error:
                errors["company_id"] = str(error)
        if errors:
            return request.render(
                "aftersales_portal.portal_my_staff",
                self._staff_values(post=post, errors=errors),
            )
        return request.redirect("/my/staff?message=invited")

    @http.route(
        ["/my/staff/<int:partner_id>/<string:action>"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_staff_action(self, partner_id, action, **kw):
        user = request.env.user
        contact = request.env["res.partner"].browse(partner_id)
        actions = {
            "deactivate": lambda: user._aftersales_portal_set_access(contact, False),
            "activate": lambda: user._aftersales_portal_set_access(contact, True),
            "make_admin": lambda: user._aftersales_portal_set_admin(contact, True),
            "remove_admin": lambda: user._aftersales_portal_set_admin(contact, False),
        }
        if action not in actions:
            return request.redirect("/my")
        try:
            actions[action]()
        except AccessError:
            return request.redirect("/my")
        return request.redirect("/my/staff?message=updated")
