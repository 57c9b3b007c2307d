from odoo import fields, models


class StockMove(models.Model):
    """The moves of a spare part request (README, "Spare parts for a case")."""

    _inherit = "stock.move"

    aftersales_part_line_id = fields.Many2one(
        "aftersales.part.request.line",
        string="Part Request Line",
        index="btree_not_null",
        help="Kept along the routes' steps and on the returns of the delivery.",
    )
    aftersales_part_request_id = fields.Many2one(
        related="aftersales_part_line_id.request_id",
        string="Part Request",
        store=True,
        index="btree_not_null",
    )

    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.aftersales_part_line_id:
            # the steps before (a resupply's leg out of the source warehouse,
            # the pick of a delivery in 2 or 3 steps) belong to the line too
            values["aftersales_part_line_id"] = self.aftersales_part_line_id.id
        return values
