from odoo import fields, models


class AftersalesTrackingProvider(models.Model):
    _name = "aftersales.tracking.provider"
    _description = "Shipment Tracking Provider"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    provider_type = fields.Selection(
        [("manual", "Manual"), ("track17", "17TRACK-style API")],
        string="Type",
        default="manual",
        required=True,
    )
    api_url = fields.Char(string="API URL")
    api_key = fields.Char(string="API Key", groups="base.group_system")
    webhook_secret = fields.Char(groups="base.group_system")
