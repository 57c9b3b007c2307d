from odoo import models


class ResUsers(models.Model):
    """The incentive points of a dealer network user on the portal dashboard."""

    _inherit = "res.users"

    def _aftersales_portal_points_summary(self, limit=5):
        """``{"balances": [(dealer, points)], "lines": last lines}`` of the
        ledger lines this portal user may read (record rules: their company's
        for staff, also those of the dealers below for an admin), or ``{}``
        for a customer. Searched as the user; the records returned are sudo
        (the dealer names and sources the lines show)."""
        self.ensure_one()
        Points = self.env["aftersales.dealer.points"].with_user(self)
        if self.aftersales_portal_scope == "customer" or not Points.has_access("read"):
            return {}
        balances = Points._read_group([], ["dealer_id"], ["points:sum"])
        lines = Points.search([], limit=limit)
        if not balances:
            return {}
        # sudo: found by the user's own search and read_group (record rules);
        # the names of these lines' dealers and sources are shown
        return {
            "balances": [(dealer.sudo(), points) for dealer, points in balances],
            "lines": lines.sudo(),
        }
