from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_rma_line_id = fields.Many2one(
        "aftersales.rma.line",
        string="RMA Line",
        index="btree_not_null",
        help="Kept when the move is split (backorders) or moved on by the "
        "warehouse's routes (receipt in 2 or 3 steps).",
    )

    def _aftersales_is_rma_arrival(self):
        """This move of an RMA receipt brings the unit where the RMA expects it:
        the receipt itself in one step, the last step (the one that reaches its
        final location) in 2 or 3 steps. A return of the receipt is none."""
        self.ensure_one()
        if self.picking_id.aftersales_rma_kind != "receipt":
            return False
        if self.location_final_id:
            return self.location_dest_id == self.location_final_id
        return self.picking_code == "incoming"

    def _get_new_picking_values(self):
        """The transfer of a next step of an RMA leg (made by a push rule of the
        warehouse's reception or delivery route) belongs to that leg of the RMA
        too, and so do the transfers of an RMA's procurement (a replacement
        through the delivery route)."""
        vals = super()._get_new_picking_values()
        rma = self.aftersales_rma_line_id.rma_id
        if len(rma) != 1:
            return vals
        kind = self.env.context.get("aftersales_rma_kind")
        if not kind:
            # a next step made by a push rule: the leg of the step before
            kinds = set(self.move_orig_ids.picking_id.mapped("aftersales_rma_kind"))
            kind = kinds.pop() if len(kinds) == 1 else None
        if kind:
            vals.update(aftersales_rma_id=rma.id, aftersales_rma_kind=kind)
        return vals

    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.aftersales_rma_line_id:
            # the pick (and pack) step of an RMA's delivery names its line too
            values["aftersales_rma_line_id"] = self.aftersales_rma_line_id.id
        return values
