from odoo import api, models

from ..tools.dealer_points import registration_rules


class AftersalesWarranty(models.Model):
    """The dealer points a registration earns its dealer: made within the
    registration window of its warranty rule."""

    _inherit = "aftersales.warranty"

    @api.model
    def _dealer_points_events(self, since):
        """``[(company id, dealer id, rule, model, id, date)]`` of the
        registrations with a dealer changed since ``since``."""
        warranties = self.search(
            [
                ("dealer_id", "!=", False),
                ("write_date", ">=", since),
                ("late_registration", "=", False),
                ("state", "!=", "void"),
                ("policy_id.registration_window_days", ">", 0),
            ]
        )
        return [
            (
                warranty.company_id.id,
                warranty.dealer_id.id,
                rule,
                self._name,
                warranty.id,
                warranty.registration_date,
            )
            for warranty in warranties
            for rule in registration_rules(
                warranty.dealer_id.id,
                warranty.policy_id.registration_window_days,
                warranty.late_registration,
                warranty.state == "void",
            )
        ]
