from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.aftersales_service.tests.common_warranty import DeliveryCase


class RmaCase(DeliveryCase):
    """The service company's warehouse as RMA hub, templates for Germany, the EU
    and the rest of the world, serials in stock and spare parts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.rma.template"].search([]).active = False
        cls.rma_location = cls.warehouse.aftersales_rma_location_id
        cls.product_part = cls.env["product.product"].create(
            {
                "name": "Image Processing Board",
                "type": "consu",
                "is_storable": True,
                "list_price": 800.0,
                "standard_price": 300.0,
            }
        )
        cls.product_cable = cls.env["product.product"].create(
            {
                "name": "Probe Cable",
                "type": "consu",
                "is_storable": True,
                "list_price": 40.0,
                "standard_price": 12.0,
            }
        )
        cls.product_us200.write({"list_price": 12500.0, "standard_price": 6800.0})
        cls.product_xr10.write({"list_price": 30000.0, "standard_price": 16000.0})
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_part, cls.stock_location, 10
        )
        cls.deposit_product = cls.env["product.product"].create(
            {"name": "Advance Replacement Deposit", "type": "service"}
        )
        cls.tmpl_de = cls.env["aftersales.rma.template"].create(
            {
                "name": "Germany",
                "sequence": 30,
                "country_ids": [Command.set(cls.env.ref("base.de").ids)],
                "warehouse_id": cls.warehouse.id,
                "max_ship_days": 14,
                "currency_id": cls.company.currency_id.id,
                "auto_approve": True,
                "auto_approve_warranty_only": True,
                "auto_approve_max_amount": 20000.0,
            }
        )
        cls.tmpl_eu = cls.env["aftersales.rma.template"].create(
            {
                "name": "EU",
                "sequence": 10,
                "country_group_ids": [Command.set(cls.env.ref("base.europe").ids)],
                "warehouse_id": cls.warehouse.id,
            }
        )
        cls.tmpl_world = cls.env["aftersales.rma.template"].create(
            {
                "name": "World",
                "sequence": 50,
                "warehouse_id": cls.warehouse.id,
                "max_ship_days": 21,
                "currency_id": cls.company.currency_id.id,
                "advance_deposit_product_id": cls.deposit_product.id,
                "advance_deposit_amount": 2500.0,
                "advance_deposit_grace_days": 10,
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Shenzhen Board Works", "is_company": True}
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="rma_stock",
            groups="stock.group_stock_user,aftersales_service.aftersales_group_user",
        )

    # helpers -----------------------------------------------------------

    @classmethod
    def _lots(cls, names, product=None):
        """Serials out at customers (not in our stock)."""
        lots = cls.env["stock.lot"]
        for name in names:
            lots |= cls._lot(name, product)
        return lots

    def _rma(self, lines, partner=None, **values):
        vals = {
            "partner_id": (partner or self.customer_de).id,
            "line_ids": [Command.create(line) for line in lines],
        }
        vals.update(values)
        return self.env["aftersales.rma"].create(vals)

    def _line(self, lot=None, **values):
        vals = {
            "product_id": (lot.product_id if lot else self.product_cable).id,
            "lot_id": lot.id if lot else False,
            "quantity": 1.0,
        }
        vals.update(values)
        return vals

    def _approved(self, rma):
        rma.action_submit()
        if rma.state == "submitted":
            rma.with_user(self.manager).action_approve()
        self.assertEqual(rma.state, "approved")
        return rma

    def _awaiting(self, rma):
        self._approved(rma)
        rma.action_request_return()
        self.assertEqual(rma.state, "awaiting_receipt")
        return rma

    def _kind(self, rma, kind):
        return rma.picking_ids.filtered(
            lambda p: p.aftersales_rma_kind == kind and p.state != "cancel"
        )

    def _do_picking(self, picking, quantities=None, lots=None, backorder=True):
        """Validate ``picking`` as the warehouse operator does: serials scanned
        (``lots``: {product: lots}) or quantities typed ({product: qty})."""
        picking = picking.with_user(self.stock_user)
        if picking.state in ("confirmed", "waiting"):
            picking.action_assign()
        quantities = quantities or {}
        lots = lots or {}
        for move in picking.move_ids:
            product = move.product_id
            if product in lots:
                move.move_line_ids.unlink()
                self.env["stock.move.line"].create(
                    [
                        {
                            "move_id": move.id,
                            "picking_id": picking.id,
                            "product_id": product.id,
                            "lot_id": lot.id,
                            "quantity": 1,
                            "product_uom_id": move.product_uom.id,
                            "location_id": move.location_id.id,
                            "location_dest_id": move.location_dest_id.id,
                        }
                        for lot in lots[product]
                    ]
                )
            else:
                move.quantity = quantities.get(product, move.product_uom_qty)
            move.picked = True
        context = {"skip_backorder": True}
        if not backorder:
            context["picking_ids_not_to_backorder"] = picking.ids
        picking.with_context(**context).button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _repair_with_part(self, rma):
        """Receive and process ``rma`` (awaiting its return, one line to repair)
        and add one spare part of the company's own stock (``product_part``) to
        its repair: the repair, not validated yet."""
        self._receive(rma)
        rma.action_process()
        repair = rma.line_ids.repair_id
        repair.move_ids = [
            Command.create(
                {
                    "product_id": self.product_part.id,
                    "product_uom_qty": 1,
                    "repair_line_type": "add",
                }
            )
        ]
        return repair

    def _receive(self, rma, lots=None, quantities=None, backorder=True):
        receipt = self._kind(rma, "receipt").filtered(lambda p: p.state != "done")
        self.assertEqual(len(receipt), 1)
        if lots is None:
            lots = {}
            for line in rma.line_ids.filtered("lot_id"):
                lots.setdefault(line.product_id, self.env["stock.lot"])
                lots[line.product_id] |= line.lot_id
        return self._do_picking(receipt, quantities, lots, backorder)
