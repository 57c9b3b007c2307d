from odoo import api, fields, models

from ..const import CUSTOMS_STATUSES, EXPORT_REASONS, SHIPMENT_DIRECTIONS, SHIPMENT_STATUSES


class AftersalesShipment(models.Model):
    _name = "aftersales.shipment"
    _description = "Shipment Leg"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "tracking_ref"]
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="New", index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    rma_id = fields.Many2one(
        "aftersales.rma", string="RMA", index="btree_not_null", check_company=True
    )
    ticket_id = fields.Many2one(related="rma_id.ticket_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, check_company=True
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", index="btree_not_null", check_company=True
    )
    direction = fields.Selection(SHIPMENT_DIRECTIONS, required=True, index=True)
    carrier_id = fields.Many2one("delivery.carrier", string="Carrier")
    carrier_code = fields.Char(help="Carrier code known to the tracking provider.")
    provider_id = fields.Many2one("aftersales.tracking.provider", string="Tracking Provider")
    tracking_ref = fields.Char(string="Tracking Number", index="btree_not_null", tracking=True)
    status = fields.Selection(
        SHIPMENT_STATUSES, default="draft", required=True, index=True, tracking=True
    )
    event_ids = fields.One2many("aftersales.shipment.event", "shipment_id", string="Events")
    estimated_delivery = fields.Datetime()
    date_shipped = fields.Datetime()
    date_delivered = fields.Datetime()
    # customs
    currency_id = fields.Many2one(
        "res.currency", default=lambda s: s.env.company.currency_id, required=True
    )
    declared_value = fields.Monetary(currency_field="currency_id")
    incoterm_id = fields.Many2one("account.incoterms", string="Incoterm")
    export_reason = fields.Selection(EXPORT_REASONS, string="Reason for Export")
    customs_status = fields.Selection(CUSTOMS_STATUSES, default="not_required", tracking=True)
    customs_reference = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.shipment") or "New"
                )
        return super().create(vals_list)

    @api.model
    def _create_for_pickings(self, pickings, direction):
        """One shipment leg per picking; returns the new shipments."""
        return self.create(
            [
                {
                    "rma_id": picking.aftersales_rma_id.id,
                    "picking_id": picking.id,
                    "partner_id": picking.partner_id.id,
                    "company_id": picking.company_id.id,
                    "direction": direction,
                    "carrier_id": picking.carrier_id.id,
                }
                for picking in pickings
            ]
        )
