from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal as SaleCustomerPortal

# the fields of the return form kept when it is shown again with its errors
RETURN_FORM_FIELDS = ("line_id", "quantity", "serial", "reason", "note")


class AftersalesOrderReturnPortal(SaleCustomerPortal):
    """An RMA for a delivered line of a sale order: the action on Odoo's order
    page, the form, and the list of returnable orders of ``/my/rmas``."""

    @http.route()
    def portal_order_page(self, order_id, report_type=None, access_token=None, **kw):
        response = super().portal_order_page(
            order_id, report_type=report_type, access_token=access_token, **kw
        )
        qcontext = getattr(response, "qcontext", None)
        order_sudo = qcontext.get("sale_order") if qcontext else None
        if order_sudo and not request.env.user._is_public():
            try:
                returnable = order_sudo.with_env(
                    request.env
                )._aftersales_portal_returnable()
            except AccessError:
                returnable = {}  # opened with the order's link by someone else
            qcontext["aftersales_return_lines"] = request.env["sale.order.line"].browse(
                [line.id for line in returnable]
            )
        return response

    @http.route(
        ["/my/rmas/request"], type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_rma_request_orders(self, **kw):
        orders = request.env["sale.order"]._aftersales_portal_returnable_orders()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_rma",
                # sudo: the user's own orders (found by their search, checked)
                "returnable_orders": orders,
                "lots": self._returnable_lots(
                    [returnable for _order, returnable in orders]
                ),
            }
        )
        return request.render("aftersales_portal.portal_rma_request_orders", values)

    @http.route(
        ["/my/orders/<int:order_id>/request_return"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_order_request_return(self, order_id, **post):
        try:
            # no access token: only a logged-in user who may read the order
            order_sudo = self._document_check_access("sale.order", order_id)
            order = order_sudo.with_env(request.env)
            returnable = order._aftersales_portal_returnable()
        except (AccessError, MissingError):
            return request.redirect("/my")
        if request.httprequest.method == "GET":
            form = {"line_id": post.get("line_id") or ""}
            return self._render_return_form(order_sudo, returnable, form, {})
        form = {key: post.get(key) or "" for key in RETURN_FORM_FIELDS}
        try:
            rma, errors = order._aftersales_portal_request_return(form)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if errors:
            return self._render_return_form(order_sudo, returnable, form, errors)
        return request.redirect(f"/my/rmas/{rma.id}")

    def _render_return_form(self, order_sudo, returnable, form, errors):
        env = request.env
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_rma",
                "return_order": order_sudo,
                # sudo: lines and serials of the order the user is the customer of
                "returnable": returnable,
                "lots": self._returnable_lots([returnable]),
                "reasons": env["aftersales.rma.line"]
                ._fields["reason"]
                ._description_selection(env),
                "post": form,
                "errors": errors,
            }
        )
        return request.render("aftersales_portal.portal_order_request_return", values)

    def _returnable_lots(self, returnables):
        """``{lot id: stock.lot}`` of the serials in the returnable values (sudo:
        the serials delivered to the user, who cannot read stock.lot)."""
        lot_ids = {
            delivered["lot_id"]
            for returnable in returnables
            for deliveries in returnable.values()
            for delivered in deliveries
            if delivered["lot_id"]
        }
        return {lot.id: lot for lot in request.env["stock.lot"].sudo().browse(lot_ids)}
