from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesQualityAlert(models.Model):
    _inherit = "aftersales.quality.alert"

    recovery_ids = fields.One2many(
        "aftersales.recovery",
        "quality_alert_id",
        string="Supplier Recoveries",
        groups="aftersales_service.aftersales_group_manager,"
        "aftersales_rma.aftersales_group_finance",
    )
    recovery_count = fields.Integer(
        compute="_compute_recovery_count",
        groups="aftersales_service.aftersales_group_manager,"
        "aftersales_rma.aftersales_group_finance",
    )

    @api.depends("recovery_ids")
    def _compute_recovery_count(self):
        for alert in self:
            alert.recovery_count = len(alert.recovery_ids)

    def action_create_recovery(self):
        """Claim the warranty costs of the alert's serials from their suppliers
        (a confirmed defect): the recoveries are proposed as by the monthly run,
        restricted to these serials, and linked to the alert."""
        self.ensure_one()
        if self.state != "confirmed":
            raise UserError(
                self.env._("Confirm the defect before claiming from the supplier.")
            )
        self.env["aftersales.recovery"]._propose(
            self.company_id,
            domain=[("ticket_id.lot_id", "in", self.lot_ids.ids)],
            quality_alert=self,
        )
        return self.action_view_recoveries()

    def action_view_recoveries(self):
        self.ensure_one()
        return self.recovery_ids._get_records_action(
            name=self.env._("Supplier Recoveries")
        )
