from odoo import api, fields, models

from ..const import SHIPMENT_STATUSES


class AftersalesShipmentEvent(models.Model):
    _name = "aftersales.shipment.event"
    _description = "Shipment Tracking Event"
    _order = "date desc, id desc"
    _check_company_auto = True

    shipment_id = fields.Many2one(
        "aftersales.shipment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="shipment_id.company_id", store=True, index=True
    )
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    status = fields.Selection(SHIPMENT_STATUSES, required=True)
    description = fields.Char()
    location = fields.Char()
    external_id = fields.Char(
        help="Provider's identity of the event, to store it once."
    )
    source = fields.Selection(
        [("manual", "Manual"), ("provider", "Provider")],
        default="manual",
        required=True,
        readonly=True,
    )

    _sql_constraints = [
        (
            "external_id_uniq",
            "unique(shipment_id, external_id)",
            "This tracking event is already stored on the shipment.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("external_id"):
                vals.setdefault("source", "provider")
        events = super().create(vals_list)
        events.shipment_id._tracking_refresh_status()
        return events

    def write(self, vals):
        result = super().write(vals)
        if {"date", "status", "shipment_id"} & set(vals):
            self.shipment_id._tracking_refresh_status()
        return result
