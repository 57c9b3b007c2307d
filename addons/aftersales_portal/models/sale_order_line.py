from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _aftersales_delivered_moves(self):
        """The validated moves that brought these lines' goods to the customer
        (sudo: portal users cannot read stock moves)."""
        return self.sudo().move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.picking_code == "outgoing"
                and m.location_dest_id.usage == "customer"
            )
        )

    def _aftersales_returnable_values(self):
        """What each of these lines delivered to the customer and is not being
        returned yet, ``{line id: [{"move_id", "lot_id", "max_quantity"}, ...]}``
        (one per delivered move and serial, in the product's unit). The count is
        the deliveries' own (stock.picking._aftersales_returnable_values(), the
        backend's RMA from a delivery): open or done RMA lines and returns made
        without an RMA are taken off. Callers check the order's access first."""
        result = {line.id: [] for line in self}
        moves = self._aftersales_delivered_moves()
        line_of_move = {move.id: move.sale_line_id.id for move in moves}
        for picking in moves.picking_id:
            for values in picking._aftersales_returnable_values():
                line_id = line_of_move.get(values["move_id"])
                if line_id in result:
                    result[line_id].append(
                        {
                            "move_id": values["move_id"],
                            "lot_id": values["lot_id"],
                            "max_quantity": values["max_quantity"],
                        }
                    )
        return result
