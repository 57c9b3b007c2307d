from odoo import fields, models

from ..const import SHIPMENT_STATUSES


class AftersalesShipmentEvent(models.Model):
    _name = "aftersales.shipment.event"
    _description = "Shipment Tracking Event"
    _order = "date desc, id desc"

    shipment_id = fields.Many2one(
        "aftersales.shipment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="shipment_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, index=True)
    status = fields.Selection(SHIPMENT_STATUSES, required=True)
    description = fields.Char()
    location = fields.Char()
    external_id = fields.Char(help="Provider's identity of the event, to store it once.")
