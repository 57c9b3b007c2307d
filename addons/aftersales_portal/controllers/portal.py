import logging
from collections import OrderedDict

from markupsafe import Markup, escape

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import groupby as groupbyelem

from odoo.addons.aftersales_service.tools.warranty import warranty_decision
from odoo.addons.portal.controllers.portal import CustomerPortal

from .listing import list_page, readable_count, selection_labels
from .uploads import attachments_error

_logger = logging.getLogger(__name__)

TICKET_FIELDS = ("subject", "description", "product_id", "serial")


class AftersalesCustomerPortal(CustomerPortal):
    """/my pages of the dealer network and the end customers.

    Every list and counter searches as the portal user (record rules decide);
    a document is rendered with ``sudo()`` only after ``_document_check_access``
    or a search as the user found it, and only with the fields the page shows.
    """

    # ------------------------------------------------------------------
    # Home counters and dashboard
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        counted = {
            "aftersales_ticket_count": ("aftersales.ticket", []),
        }
        dashboard = env.user._aftersales_portal_dashboard_domains()
        for key, model_domain in dashboard.items():
            counted[f"aftersales_dashboard_{key}"] = model_domain
        for counter, (model, domain) in counted.items():
            if counter not in counters:
                continue
            values[counter] = readable_count(env[model], domain)
        return values

    # ------------------------------------------------------------------
    # Tickets
    # ------------------------------------------------------------------

    def _ticket_searchbar_sortings(self):
        _ = request.env._
        return {
            "date": {"label": _("Newest"), "order": "id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
            "deadline": {
                "label": _("Resolution Due"),
                "order": "resolution_deadline asc, id desc",
            },
            "stage": {"label": _("Status"), "order": "stage_id, id desc"},
        }

    def _ticket_searchbar_filters(self):
        _ = request.env._
        filters = {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": _("Closed"), "domain": [("is_closed", "=", True)]},
        }
        dashboard = request.env.user._aftersales_portal_dashboard_domains()
        filters["at_risk"] = {
            "label": _("SLA at Risk"),
            "domain": dashboard["sla_at_risk"][1],
        }
        filters["breached"] = {
            "label": _("SLA Breached"),
            "domain": [("sla_state", "in", ("breached", "failed"))],
        }
        return filters

    def _ticket_searchbar_inputs(self):
        _ = request.env._
        return {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Reference and Subject")},
            "serial": {"input": "serial", "label": _("Search in Serial Number")},
            "customer": {"input": "customer", "label": _("Search in Customer")},
        }

    def _ticket_searchbar_groupby(self):
        _ = request.env._
        groupby = {
            "none": {"input": "none", "label": _("None")},
            "stage": {"input": "stage", "label": _("Status"), "field": "stage_id"},
            "customer": {
                "input": "customer",
                "label": _("Customer"),
                "field": "partner_id",
            },
        }
        if request.env.user.aftersales_portal_scope in ("distributor_admin",):
            groupby["dealer"] = {
                "input": "dealer",
                "label": _("Dealer"),
                "field": "dealer_id",
            }
        return groupby

    def _ticket_search_domain(self, search_in, search):
        if not search:
            return []
        domains = {
            "name": ["|", ("name", "ilike", search), ("subject", "ilike", search)],
            "serial": [("lot_id.name", "ilike", search)],
            "customer": [("partner_id.name", "ilike", search)],
        }
        if search_in in domains:
            return domains[search_in]
        return [
            "|",
            "|",
            "|",
            ("name", "ilike", search),
            ("subject", "ilike", search),
            ("lot_id.name", "ilike", search),
            ("partner_id.name", "ilike", search),
        ]

    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_tickets(
        self,
        page=1,
        sortby=None,
        filterby=None,
        search=None,
        search_in="all",
        groupby="none",
        **kw,
    ):
        Ticket = request.env["aftersales.ticket"]
        if not Ticket.has_access("read"):
            return request.redirect("/my")
        sortings = self._ticket_searchbar_sortings()
        filters = self._ticket_searchbar_filters()
        inputs = self._ticket_searchbar_inputs()
        groupbys = self._ticket_searchbar_groupby()
        sortby = sortby if sortby in sortings else "date"
        groupby = groupby if groupby in groupbys else "none"
        search_in = search_in if search_in in inputs else "all"
        order = sortings[sortby]["order"]
        group_field = groupbys[groupby].get("field")
        if group_field:
            order = f"{group_field}, {order}"
        tickets, pager, filterby, total = list_page(
            Ticket,
            "/my/tickets",
            filters,
            filterby,
            page,
            self._items_per_page,
            domain=self._ticket_search_domain(search_in, search),
            order=order,
            url_args={
                "sortby": sortby,
                "search_in": search_in,
                "search": search,
                "groupby": groupby,
            },
        )
        request.session["my_aftersales_tickets_history"] = tickets.ids[:100]
        # sudo: found by the user's own search (record rules applied); the
        # customer, dealer and stage names shown are those of these tickets
        tickets_sudo = tickets.sudo()
        tickets_sudo.fetch(
            ["name", "subject", "stage_id", "partner_id", "dealer_id", "sla_state"]
        )
        if group_field:
            grouped = [
                Ticket.sudo().concat(*group)
                for _key, group in groupbyelem(tickets_sudo, lambda t: t[group_field])
            ]
        else:
            grouped = [tickets_sudo] if tickets_sudo else []
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_ticket",
                "default_url": "/my/tickets",
                "grouped_tickets": grouped,
                "groupby": groupby,
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": OrderedDict(sorted(filters.items())),
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
                "searchbar_groupby": groupbys,
                "ticket_count": total,
                "sla_labels": selection_labels(Ticket, "sla_state"),
            }
        )
        return request.render("aftersales_portal.portal_my_tickets", values)

    @http.route(
        ["/my/tickets/<int:ticket_id>"], type="http", auth="public", website=True
    )
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        try:
            # record rules of the user, or the ticket's access token; sudo record
            ticket_sudo = self._document_check_access(
                "aftersales.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._ticket_page_values(ticket_sudo, access_token, **kw)
        return request.render("aftersales_portal.portal_ticket_page", values)

    @http.route(
        ["/my/tickets/<int:ticket_id>/request_rma"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_ticket_request_rma(self, ticket_id, reason="", **kw):
        ticket = request.env["aftersales.ticket"].browse(ticket_id)
        try:
            rma = ticket._portal_request_rma((reason or "").strip())
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not rma:
            return request.redirect(ticket.access_url)
        return request.redirect(f"/my/rmas/{rma.id}")

    def _ticket_page_values(self, ticket_sudo, access_token, **kw):
        user = request.env.user
        customer = ticket_sudo.partner_id
        values = {
            "page_name": "aftersales_ticket",
            "ticket": ticket_sudo,
            "timeline": ticket_sudo._portal_timeline(),
            "customer_contact": (
                customer._aftersales_masked_contact(user, ticket_sudo.dealer_id)
                if customer
                else {}
            ),
            "token": ticket_sudo._portal_ensure_token(),
            "can_request_rma": ticket_sudo.with_env(
                request.env
            )._portal_can_request_rma(),
            # the ticket's RMAs the user may read (record rules)
            "rmas": request.env["aftersales.rma"].search(
                [("ticket_id", "=", ticket_sudo.id)]
            )
            if request.env["aftersales.rma"].has_access("read")
            else request.env["aftersales.rma"],
        }
        return self._get_page_view_values(
            ticket_sudo,
            access_token,
            values,
            "my_aftersales_tickets_history",
            False,
            **kw,
        )

    # ------------------------------------------------------------------
    # New ticket
    # ------------------------------------------------------------------

    @http.route(
        ["/my/tickets/new"], type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_ticket_new(self, product_id=None, **kw):
        return request.render(
            "aftersales_portal.portal_ticket_new",
            self._ticket_form_values({"product_id": product_id or ""}, {}),
        )

    @http.route(
        ["/my/tickets/new"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_ticket_create(self, **post):
        uploads = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        errors, vals = self._ticket_form_validate(post, uploads)
        if errors:
            return request.render(
                "aftersales_portal.portal_ticket_new",
                self._ticket_form_values(post, errors),
            )
        ticket = request.env["aftersales.ticket"]._portal_create_ticket(vals, uploads)
        return request.redirect(ticket.access_url)

    def _ticket_form_values(self, post, errors):
        env = request.env
        user = env.user
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_ticket_new",
                "post": post,
                "errors": errors,
                "is_dealer": user.aftersales_portal_scope != "customer",
                "customers": env["aftersales.ticket"]._portal_known_customers(),
                "products": env["aftersales.ticket"]._portal_products(),
                "countries": env["res.country"].sudo().search([]),
                "articles": env["aftersales.article"]._portal_suggested(
                    env["aftersales.ticket"]
                    ._portal_products()
                    .filtered(lambda p: str(p.id) == str(post.get("product_id")))
                ),
            }
        )
        return values

    def _ticket_form_validate(self, post, uploads):
        """Errors by field (shown beside it) and the values of the ticket."""
        env = request.env
        _ = env._
        Ticket = env["aftersales.ticket"]
        errors = {}
        for field in ("subject", "description"):
            if not (post.get(field) or "").strip():
                errors[field] = _("This field is required.")
        vals = {
            "subject": (post.get("subject") or "").strip(),
            "description": Markup("<p>%s</p>")
            % escape((post.get("description") or "").strip()),
        }
        product = env["product.product"]
        if post.get("product_id"):
            product = Ticket._portal_products().filtered(
                lambda p: str(p.id) == post["product_id"]
            )
            if not product:
                errors["product_id"] = _("Choose a product of the list.")
        serial = (post.get("serial") or "").strip()
        if serial:
            answer = env["aftersales.warranty"].sudo().check_serial(serial)
            lot = Ticket._portal_find_lot(serial)
            if answer["status"] == "unknown" and not lot:
                errors["serial"] = _("This serial number is unknown.")
            elif lot and product and lot.product_id != product:
                errors["serial"] = _("This serial number is of another product.")
            elif lot:
                vals["lot_id"] = lot.id
                product = product or lot.product_id
        if product:
            vals["product_id"] = product.id
        self._ticket_form_customer(post, vals, errors)
        attachments_message = attachments_error(uploads)
        if attachments_message:
            errors["attachments"] = attachments_message
        return errors, vals

    def _ticket_form_customer(self, post, vals, errors):
        """The customer of a new ticket: the user's own contact for an end
        customer; for a dealer one of its known customers or a new contact."""
        env = request.env
        _ = env._
        user = env.user
        Ticket = env["aftersales.ticket"]
        if user.aftersales_portal_scope == "customer":
            vals["partner_id"] = user.partner_id.id
            vals["channel"] = "portal"
        else:
            vals["dealer_id"] = user.partner_id.commercial_partner_id.id
            vals["channel"] = "dealer"
            mode = post.get("customer_mode") or "existing"
            if mode == "new":
                customer_vals = {
                    "name": (post.get("customer_name") or "").strip(),
                    "email": (post.get("customer_email") or "").strip(),
                    "phone": (post.get("customer_phone") or "").strip(),
                }
                if not customer_vals["name"]:
                    errors["customer_name"] = _("This field is required.")
                if customer_vals["email"] and "@" not in customer_vals["email"]:
                    errors["customer_email"] = _("This email address is not valid.")
                country = env["res.country"].browse(
                    int(post["customer_country_id"])
                    if (post.get("customer_country_id") or "").isdigit()
                    else []
                )
                if country.exists():
                    customer_vals["country_id"] = country.id
                vals["new_customer"] = customer_vals
            else:
                known = Ticket._portal_known_customers()
                customer = known.filtered(
                    lambda p: str(p.id) == (post.get("customer_id") or "")
                )
                if not customer:
                    errors["customer_id"] = _("Choose a customer of the list.")
                vals["partner_id"] = customer.id

    # ------------------------------------------------------------------
    # Serial check while typing (authenticated JSON)
    # ------------------------------------------------------------------

    @http.route(["/my/tickets/check_serial"], type="json", auth="user", website=True)
    def portal_check_serial(self, serial=None, **kw):
        """The warranty engine's answer for the new-ticket form's live check:
        status, dates, coverage and the decision it leads to, and the id of the
        serial's product when the form offers it (to select it and suggest its
        articles)."""
        # sudo: the answer of check_serial carries no personal data
        answer = request.env["aftersales.warranty"].sudo().check_serial(serial)
        answer.pop("dealer", None)
        coverage = answer["coverage"] or {}
        answer["decision"] = (
            warranty_decision(
                answer["status"],
                coverage.get("parts"),
                coverage.get("labour"),
                coverage.get("deductible"),
            )
            if answer["status"] != "unknown"
            else False
        )
        answer["product_id"] = False
        if isinstance(serial, str) and serial.strip():
            Ticket = request.env["aftersales.ticket"]
            lot = Ticket._portal_find_lot(serial.strip())
            if lot.product_id in Ticket._portal_products():
                answer["product_id"] = lot.product_id.id
        return answer
