from odoo import fields, models
from odoo.osv import expression

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
        "(the owner of the quants) counts as on hand for the sourcing rule, and "
        "only it is reserved for the part requests sourced here.",
    )
    aftersales_engineer_id = fields.Many2one(
        "res.users",
        string="Engineer",
        index="btree_not_null",
        help="The engineer whose van this warehouse is: the parts of his requests "
        "are brought here.",
    )

    def _aftersales_stock_owner(self):
        """The partner whose quants this source gives: the dealer of a
        consignment stock; empty for the company's own stock (no warehouse, a
        central, bonded or service warehouse, a van)."""
        owner = self.env["res.partner"]
        for warehouse in self[:1]:
            if warehouse.aftersales_source_kind == "consignment":
                owner = warehouse.aftersales_owner_id
        return owner

    def _aftersales_free_qty(self, products):
        """``{(warehouse, product): free quantity}``: what each warehouse can send,
        counted on the quants its part request moves may reserve (in its stock
        location; a consignment stock: only what its owner owns, any other: only
        the company's own quants). One read for all the warehouses."""
        Quant = self.env["stock.quant"]
        result = {
            (warehouse, product): 0.0 for warehouse in self for product in products
        }
        if not self or not products:
            return result
        domain = expression.OR(
            [
                expression.AND(
                    [
                        [("location_id", "child_of", warehouse.lot_stock_id.id)],
                        Quant._aftersales_owner_domain(
                            warehouse._aftersales_stock_owner(), warehouse.company_id
                        ),
                    ]
                )
                for warehouse in self
            ]
        )
        domain = expression.AND([[("product_id", "in", products.ids)], domain])
        # a quant is in one warehouse's stock location at most: the clause it
        # matched is its warehouse's
        for location, product, quantity, reserved in Quant._read_group(
            domain,
            ["location_id", "product_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        ):
            key = (location.warehouse_id, product)
            if key in result:
                result[key] += quantity - reserved
        return {key: max(value, 0.0) for key, value in result.items()}
