from odoo import fields, models

from ..const import PART_SOURCE_KINDS


class StockWarehouse(models.Model):
    """A warehouse as a source of spare parts for the cases (README, "Spare
    parts for a case")."""

    _inherit = "stock.warehouse"

    aftersales_part_source = fields.Boolean(
        string="Spare Parts Source",
        index=True,
        help="Spare part requests may take their parts from this warehouse.",
    )
    aftersales_source_kind = fields.Selection(
        PART_SOURCE_KINDS, string="Source Kind", default="central"
    )
    aftersales_lead_days = fields.Integer(
        string="Lead Time (Days)",
        help="Days the parts of this warehouse need to reach a case; used when "
        "several warehouses can send a part.",
    )
    aftersales_source_sequence = fields.Integer(string="Source Sequence", default=10)
    aftersales_owner_id = fields.Many2one(
        "res.partner",
        string="Consignment Owner",
        check_company=True,
        help="A dealer's consignment stock: only the stock this partner owns "
        "(the owner of the quants) counts as on hand for the sourcing rule.",
    )
    aftersales_engineer_id = fields.Many2one(
        "res.users",
        string="Engineer",
        index="btree_not_null",
        help="The engineer whose van this warehouse is: the parts of his requests "
        "are brought here.",
    )

    def _aftersales_free_qty(self, products):
        """``{(warehouse, product): free quantity}``: what each warehouse can send
        (a consignment stock: only what its owner owns). One read per warehouse."""
        result = {}
        for warehouse in self:
            context = {"warehouse_id": warehouse.id}
            if warehouse.aftersales_owner_id:
                context["owner_id"] = warehouse.aftersales_owner_id.id
            for product in products.with_context(**context):
                result[warehouse, product] = product.free_qty
        return result
