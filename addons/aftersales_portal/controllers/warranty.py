from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools import MAX_UPLOAD_BYTES, upload_error
from .listing import list_page, readable_count, selection_labels

# public warranty check: at most RATE_LIMIT answers per IP address in
# RATE_WINDOW seconds (ir.config_parameter aftersales_portal.warranty_rate_limit),
# counted in the database for all server processes (aftersales.portal.rate.hit)
RATE_LIMIT = 20
RATE_WINDOW = 60
# the dealer API answers at most this many serials per call
MAX_SERIALS = 100
# what the public page and the API show of check_serial's answer: no personal data
PUBLIC_KEYS = ("serial", "status", "product", "date_start", "date_end", "coverage")


def public_answer(answer):
    return {key: answer.get(key) for key in PUBLIC_KEYS}


class AftersalesWarrantyPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # /my/warranties
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        for counter, model in (
            ("aftersales_warranty_count", "aftersales.warranty"),
            ("aftersales_rma_count", "aftersales.rma"),
        ):
            if counter in counters:
                values[counter] = readable_count(env[model])
        return values

    def _warranty_filters(self):
        _ = request.env._
        dashboard = request.env.user._aftersales_portal_dashboard_domains()
        return {
            "all": {"label": _("All"), "domain": []},
            "active": {"label": _("In Force"), "domain": [("state", "=", "active")]},
            "expiring": {
                "label": _("Expiring within 30 Days"),
                "domain": dashboard["warranty_expiring"][1],
            },
            "expired": {"label": _("Expired"), "domain": [("state", "=", "expired")]},
        }

    @http.route(
        ["/my/warranties", "/my/warranties/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_warranties(self, page=1, filterby=None, search=None, **kw):
        Warranty = request.env["aftersales.warranty"]
        if not Warranty.has_access("read"):
            return request.redirect("/my")
        filters = self._warranty_filters()
        warranties, pager, filterby, _total = list_page(
            Warranty,
            "/my/warranties",
            filters,
            filterby,
            page,
            self._items_per_page,
            domain=[("lot_id.name", "ilike", search)] if search else [],
            url_args={"search": search},
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_warranty",
                "default_url": "/my/warranties",
                # sudo: found by the user's own search (record rules)
                "warranties": warranties.sudo(),
                "can_import": Warranty._portal_import_allowed(),
                "state_labels": selection_labels(Warranty, "state"),
                "pager": pager,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": {
                    "serial": {"input": "serial", "label": request.env._("Serial")}
                },
                "search_in": "serial",
                "search": search,
            }
        )
        return request.render("aftersales_portal.portal_my_warranties", values)

    @http.route(
        ["/my/warranties/<int:warranty_id>"], type="http", auth="user", website=True
    )
    def portal_my_warranty(self, warranty_id, **kw):
        try:
            warranty_sudo = self._document_check_access(
                "aftersales.warranty", warranty_id
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "aftersales_warranty", "warranty": warranty_sudo})
        return request.render("aftersales_portal.portal_warranty_page", values)

    def _warranty_form_values(self, post, errors):
        values = self._prepare_portal_layout_values()
        Ticket = request.env["aftersales.ticket"]
        values.update(
            {
                "page_name": "aftersales_warranty",
                "post": post,
                "errors": errors,
                "is_dealer": request.env.user.aftersales_portal_scope != "customer",
                "customers": Ticket._portal_known_customers(),
            }
        )
        return values

    @http.route(
        ["/my/warranties/register"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_warranty_register(self, **post):
        if request.httprequest.method == "GET":
            return request.render(
                "aftersales_portal.portal_warranty_register",
                self._warranty_form_values({}, {}),
            )
        uploads = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("invoice")
            if upload.filename
        ]
        errors, vals = self._warranty_form_validate(post, uploads)
        if errors:
            return request.render(
                "aftersales_portal.portal_warranty_register",
                self._warranty_form_values(post, errors),
            )
        registration = request.env["aftersales.warranty"]._portal_register(
            vals, uploads[0] if uploads else None
        )
        return request.redirect(f"/my/warranties/{registration.id}")

    def _warranty_form_validate(self, post, uploads):
        env = request.env
        _ = env._
        user = env.user
        errors, vals = {}, {}
        serial = (post.get("serial") or "").strip()
        lot = env["aftersales.ticket"]._portal_find_lot(serial) if serial else None
        if not serial:
            errors["serial"] = _("This field is required.")
        elif not lot:
            errors["serial"] = _("This serial number is unknown.")
        else:
            live = env["aftersales.warranty"]._portal_live_registration(lot)
            own = user.partner_id.commercial_partner_id
            if live and live.dealer_id and live.dealer_id != own:
                errors["serial"] = _(
                    "This serial number is already registered by another dealer."
                )
            elif live:
                errors["serial"] = _("This serial number is already registered.")
            vals["lot_id"] = lot.id
        purchase_date = False
        try:
            purchase_date = fields.Date.to_date(post.get("purchase_date") or None)
        except ValueError:
            errors["purchase_date"] = _("This date is not valid.")
        if not purchase_date and "purchase_date" not in errors:
            errors["purchase_date"] = _("This field is required.")
        elif purchase_date and purchase_date > fields.Date.context_today(user):
            errors["purchase_date"] = _("The purchase date cannot be in the future.")
        vals["purchase_date"] = purchase_date
        vals["purchase_place"] = (post.get("purchase_place") or "").strip()
        vals["invoice_ref"] = (post.get("invoice_ref") or "").strip()
        for filename, content in uploads:
            error = upload_error(filename, len(content))
            if error == "type":
                errors["invoice"] = _(
                    "%(file)s: this type of file is not accepted.", file=filename
                )
            elif error == "size":
                errors["invoice"] = _(
                    "%(file)s is larger than %(size)s MB.",
                    file=filename,
                    size=MAX_UPLOAD_BYTES // (1024 * 1024),
                )
        if user.aftersales_portal_scope == "customer":
            vals["partner_id"] = user.partner_id.id
            vals["source"] = "customer"
        else:
            vals["dealer_id"] = user.partner_id.commercial_partner_id.id
            vals["source"] = "dealer"
            customer = (
                env["aftersales.ticket"]
                ._portal_known_customers()
                .filtered(lambda p: str(p.id) == (post.get("customer_id") or ""))
            )
            if post.get("customer_id") and not customer:
                errors["customer_id"] = _("Choose a customer of the list.")
            vals["partner_id"] = customer.id or False
        return errors, vals

    # ------------------------------------------------------------------
    # /my/rmas
    # ------------------------------------------------------------------

    def _rma_filters(self):
        _ = request.env._
        dashboard = request.env.user._aftersales_portal_dashboard_domains()
        return {
            "all": {"label": _("All"), "domain": []},
            "awaiting": {
                "label": _("Awaiting the Return Shipment"),
                "domain": dashboard["rma_awaiting_return"][1],
            },
            "open": {
                "label": _("Open"),
                "domain": [("state", "not in", ("done", "cancel", "rejected"))],
            },
        }

    @http.route(
        ["/my/rmas", "/my/rmas/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_rmas(self, page=1, filterby=None, **kw):
        Rma = request.env["aftersales.rma"]
        if not Rma.has_access("read"):
            return request.redirect("/my")
        filters = self._rma_filters()
        rmas, pager, filterby, _total = list_page(
            Rma, "/my/rmas", filters, filterby, page, self._items_per_page
        )
        request.session["my_aftersales_rmas_history"] = rmas.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_rma",
                "default_url": "/my/rmas",
                # sudo: found by the user's own search (record rules)
                "rmas": rmas.sudo(),
                "state_labels": selection_labels(Rma, "state"),
                "pager": pager,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("aftersales_portal.portal_my_rmas", values)

    @http.route(["/my/rmas/<int:rma_id>"], type="http", auth="public", website=True)
    def portal_my_rma(self, rma_id, access_token=None, **kw):
        try:
            rma_sudo = self._document_check_access(
                "aftersales.rma", rma_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {
            "page_name": "aftersales_rma",
            "rma": rma_sudo,
            "token": rma_sudo._portal_ensure_token(),
        }
        values = self._get_page_view_values(
            rma_sudo, access_token, values, "my_aftersales_rmas_history", False, **kw
        )
        return request.render("aftersales_portal.portal_rma_page", values)

    @http.route(
        ["/my/rmas/shipment/<int:shipment_id>/<string:document>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_rma_shipment_document(self, shipment_id, document, **kw):
        """The customs papers of a shipment the user may read, as PDF."""
        reports = {
            "invoice": "aftersales_rma.action_report_aftersales_customs_invoice",
            "packing": "aftersales_rma.action_report_aftersales_packing_list",
        }
        if document not in reports:
            return request.redirect("/my")
        try:
            shipment_sudo = self._document_check_access(
                "aftersales.shipment", shipment_id
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._show_report(
            model=shipment_sudo, report_type="pdf", report_ref=reports[document]
        )

    # ------------------------------------------------------------------
    # Public warranty check and the dealers' JSON API
    # ------------------------------------------------------------------

    def _warranty_rate_limit(self):
        param = request.env["ir.config_parameter"].sudo()
        value = param.get_param("aftersales_portal.warranty_rate_limit")
        return int(value) if value and value.isdigit() else RATE_LIMIT

    @http.route(["/warranty"], type="http", auth="public", website=True, sitemap=True)
    def public_warranty_check(self, serial=None, **kw):
        values = {"serial": serial or "", "answer": None, "rate_limited": False}
        serial = (serial or "").strip()
        if serial:
            address = request.httprequest.remote_addr or "unknown"
            # sudo: the hits are the server's bookkeeping, nobody's document
            hits_sudo = request.env["aftersales.portal.rate.hit"].sudo()
            if not hits_sudo._allow(
                f"warranty:{address}", self._warranty_rate_limit(), RATE_WINDOW
            ):
                values["rate_limited"] = True
                response = request.render(
                    "aftersales_portal.public_warranty_page", values
                )
                response.status_code = 429
                return response
            # sudo: the public answer keeps no personal data (PUBLIC_KEYS)
            values["answer"] = public_answer(
                request.env["aftersales.warranty"].sudo().check_serial(serial)
            )
        return request.render("aftersales_portal.public_warranty_page", values)

    @http.route(["/aftersales/warranty/check"], type="json", auth="user", website=True)
    def api_warranty_check(self, serials=None, on_date=None, **kw):
        """Many serials at once for a dealer's system: ``{"serials": [...]}``
        answers ``{"results": [public answer, ...]}`` (at most 100)."""
        serials = serials if isinstance(serials, list) else [serials]
        Warranty = request.env["aftersales.warranty"].sudo()
        return {
            "results": [
                public_answer(Warranty.check_serial(serial, on_date=on_date))
                for serial in serials[:MAX_SERIALS]
            ]
        }
