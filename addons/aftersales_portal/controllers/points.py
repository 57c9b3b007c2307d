from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class AftersalesPointsPortal(CustomerPortal):
    """The dealer's incentive points: the balance and the last lines on /my,
    the whole ledger on /my/points (searched as the user: record rules)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the /my page itself, not its counters
            values["aftersales_points"] = (
                request.env.user._aftersales_portal_points_summary()
            )
        return values

    @http.route(
        ["/my/points", "/my/points/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_points(self, page=1, **kw):
        Points = request.env["aftersales.dealer.points"]
        if request.env.user.aftersales_portal_scope == "customer" or (
            not Points.has_access("read")
        ):
            return request.redirect("/my")
        total = Points.search_count([])
        pager = portal_pager(
            url="/my/points", total=total, page=page, step=self._items_per_page
        )
        lines = Points.search([], limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_points",
                "default_url": "/my/points",
                # sudo: found by the user's own search (record rules); the page
                # shows these lines' dealer, reason, source and points
                "lines": lines.sudo(),
                "summary": request.env.user._aftersales_portal_points_summary(),
                "pager": pager,
            }
        )
        return request.render("aftersales_portal.portal_my_points", values)
