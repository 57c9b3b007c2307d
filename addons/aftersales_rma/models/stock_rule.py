from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        # an RMA's procurement (a replacement in 2 or 3 steps) names its line
        # and a spare part request's line
        return super()._get_custom_move_fields() + [
            "aftersales_rma_line_id",
            "aftersales_part_line_id",
        ]

    def _get_stock_move_values(
        self,
        product_id,
        product_qty,
        product_uom,
        location_dest_id,
        name,
        origin,
        company_id,
        values,
    ):
        move_values = super()._get_stock_move_values(
            product_id,
            product_qty,
            product_uom,
            location_dest_id,
            name,
            origin,
            company_id,
            values,
        )
        if values.get("aftersales_part_line_id") and values.get("restrict_partner_id"):
            # a part sourced from a dealer's consignment stock: every step takes
            # the dealer's quants only (stock_move_consignment.py)
            move_values["restrict_partner_id"] = values["restrict_partner_id"]
        return move_values

    def _push_prepare_move_copy_values(self, move_to_copy, new_date):
        """An RMA return received in 2 or 3 steps: the step that the warehouse's
        reception route sends to its stock ends in the RMA location instead (the
        receipt's final location), where the RMA's documents take the unit."""
        vals = super()._push_prepare_move_copy_values(move_to_copy, new_date)
        final = move_to_copy.location_final_id
        warehouse = move_to_copy.aftersales_rma_line_id.rma_id.warehouse_id
        if (
            final
            and warehouse
            and final == warehouse.aftersales_rma_location_id
            and self.location_dest_id == warehouse.lot_stock_id
        ):
            vals["location_dest_id"] = final.id
        return vals
