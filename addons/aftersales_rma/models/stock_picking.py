from odoo import fields, models

from ..const import RMA_PICKING_KINDS


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # copied: a backorder stays on its RMA
    aftersales_rma_id = fields.Many2one(
        "aftersales.rma", string="RMA", index="btree_not_null"
    )
    aftersales_rma_kind = fields.Selection(
        RMA_PICKING_KINDS, string="RMA Leg", index="btree_not_null"
    )
    aftersales_shipment_ids = fields.One2many(
        "aftersales.shipment", "picking_id", string="Shipments"
    )
    aftersales_shipment_count = fields.Integer(
        compute="_compute_aftersales_shipment_count"
    )

    def _compute_aftersales_shipment_count(self):
        for picking in self:
            picking.aftersales_shipment_count = len(picking.aftersales_shipment_ids)

    def write(self, vals):
        res = super().write(vals)
        if "carrier_tracking_ref" in vals:
            legs = self.filtered("aftersales_shipment_ids")
            if legs:
                # the carrier's number reaches the shipment legs even when the
                # warehouse user who writes it may not change shipments
                self.env["aftersales.shipment"].sudo()._tracking_sync_pickings(legs)
        return res

    def _action_done(self):
        res = super()._action_done()
        rma_pickings = self.filtered(
            lambda p: p.aftersales_rma_id and p.state == "done"
        )
        # the RMA moves on even when the warehouse user cannot write RMAs
        rma_pickings.aftersales_rma_id.sudo()._on_pickings_done(rma_pickings.sudo())
        vals_list = rma_pickings._prepare_aftersales_cost_line_vals()
        if vals_list:
            # the freight and customs costs follow from the validated transfer,
            # whoever validates it: a warehouse user may not write cost lines
            self.env["aftersales.cost.line"].sudo()._create_from_sources(vals_list)
        return res

    def _prepare_aftersales_cost_line_vals(self):
        """Cost line values of these validated RMA transfers: what their
        shipment legs cost (freight, duties and taxes)."""
        # the legs of a transfer the warehouse user validated, read to record
        # their costs (the user may not read shipments of other teams' RMAs)
        shipments = self.sudo().aftersales_shipment_ids
        return shipments._prepare_aftersales_cost_line_vals()

    def action_view_aftersales_rma(self):
        self.ensure_one()
        return self.aftersales_rma_id._get_records_action(name=self.env._("RMA"))

    def action_view_aftersales_shipments(self):
        self.ensure_one()
        return self.aftersales_shipment_ids._get_records_action(
            name=self.env._("Shipments")
        )

    def _aftersales_returnable_values(self):
        """Wizard line values of what this delivery gave the customer, no open
        RMA line returns and no validated return (Odoo's return of the delivery)
        brought back yet: one per serial for tracked products."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or self.state != "done":
            return []
        moves = self.move_ids.filtered(lambda m: m.state == "done")
        taken = {}
        rma_lines = self.env["aftersales.rma.line"].search(
            [
                ("origin_move_id", "in", moves.ids),
                ("rma_id.state", "not in", ("cancel", "rejected")),
            ]
        )
        for line in rma_lines:
            key = (line.origin_move_id.id, line.lot_id.id)
            taken[key] = taken.get(key, 0.0) + line.quantity
        # returns made without an RMA (their moves point to the delivered move)
        for move in moves:
            returns = move.returned_move_ids.filtered(
                lambda m: m.state == "done" and not m.aftersales_rma_line_id
            )
            for move_line in returns.move_line_ids:
                key = (move.id, move_line.lot_id.id)
                taken[key] = taken.get(
                    key, 0.0
                ) + move_line.product_uom_id._compute_quantity(
                    move_line.quantity, move.product_id.uom_id
                )
        values = []
        for move in moves:
            by_lot = {}
            for move_line in move.move_line_ids:
                by_lot[move_line.lot_id.id] = by_lot.get(
                    move_line.lot_id.id, 0.0
                ) + move_line.product_uom_id._compute_quantity(
                    move_line.quantity, move.product_id.uom_id
                )
            for lot_id, quantity in by_lot.items():
                left = quantity - taken.get((move.id, lot_id), 0.0)
                if left <= 0:
                    continue
                values.append(
                    {
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "lot_id": lot_id or False,
                        "max_quantity": left,
                        "quantity": left,
                    }
                )
        return values

    def action_aftersales_return_rma(self):
        """Open the wizard that makes an RMA of this delivery's goods."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return via RMA"),
            "res_model": "aftersales.rma.return.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }
