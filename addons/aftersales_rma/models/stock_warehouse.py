from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    aftersales_rma_location_id = fields.Many2one(
        "stock.location",
        string="RMA Location",
        check_company=True,
        copy=False,
        help="Internal location where returned goods wait for their disposition.",
    )
    aftersales_rma_type_id = fields.Many2one(
        "stock.picking.type",
        string="RMA Receipt Type",
        check_company=True,
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._aftersales_rma_setup()
        return warehouses

    def _aftersales_rma_setup(self):
        """Create the RMA location and the RMA receipt type of the warehouses that
        have none yet (one create per model for the whole batch)."""
        missing = self.filtered(lambda w: not w.aftersales_rma_location_id)
        if missing:
            locations = (
                self.env["stock.location"]
                .sudo()
                .create(
                    [
                        {
                            "name": self.env._("RMA"),
                            "usage": "internal",
                            "location_id": warehouse.view_location_id.id,
                            "company_id": warehouse.company_id.id,
                        }
                        for warehouse in missing
                    ]
                )
            )
            for warehouse, location in zip(missing, locations, strict=True):
                warehouse.aftersales_rma_location_id = location
        missing = self.filtered(lambda w: not w.aftersales_rma_type_id)
        if missing:
            types = (
                self.env["stock.picking.type"]
                .sudo()
                .create(
                    [
                        {
                            "name": self.env._("RMA Receipts"),
                            "code": "incoming",
                            "sequence_code": "RMA",
                            "warehouse_id": warehouse.id,
                            "company_id": warehouse.company_id.id,
                            "default_location_src_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                            "default_location_dest_id": (
                                warehouse.aftersales_rma_location_id.id
                            ),
                            "use_create_lots": False,
                            "use_existing_lots": True,
                        }
                        for warehouse in missing
                    ]
                )
            )
            for warehouse, picking_type in zip(missing, types, strict=True):
                warehouse.aftersales_rma_type_id = picking_type
        return True
