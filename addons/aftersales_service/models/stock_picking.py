from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        deliveries = self.filtered(
            lambda p: (
                p.state == "done" and p.picking_type_code == "outgoing" and p.sale_id
            )
        )
        if deliveries:
            self.env["aftersales.warranty"]._register_move_lines(
                deliveries.move_line_ids
            )
        return result
