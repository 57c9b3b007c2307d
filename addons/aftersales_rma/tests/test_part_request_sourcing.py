from odoo.tests import tagged

from .common_part import PartRequestCase


@tagged("post_install", "-at_install")
class TestPartRequestSourcing(PartRequestCase):
    def test_same_country_delivers_and_costs(self):
        """Stock in Shanghai and Lagos: the Nigerian case takes it from Lagos;
        the delivery's shipment leg tells when the part is in transit and when
        delivered; the delivered part is a parts cost of the case."""
        self._stock(self.wh_shanghai, 10)
        self._stock(self.wh_lagos, 2)
        request = self._request(user=self.agent)
        self.assertFalse(request.chargeable)
        self.assertEqual(request.country_id, self.env.ref("base.ng"))
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(line.warehouse_id, self.wh_lagos)
        self.assertEqual(request.warehouse_id, self.wh_lagos)
        self.assertEqual(line.sourcing, "stock")
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self.assertEqual(len(request.move_ids.picking_id), 1)
        self.assertEqual(delivery.location_dest_id.usage, "customer")
        self.assertEqual(line.parts_state, "reserved")
        self.assertEqual(line.qty_reserved, 1)
        shipment = request.shipment_ids
        self.assertEqual(shipment.picking_id, delivery)
        self.assertEqual(shipment.direction, "hub_to_customer")
        self.assertEqual(shipment.export_reason, "replacement")

        self._done(delivery)
        self.assertEqual(line.parts_state, "in_transit")
        self.assertEqual(line.qty_in_transit, 1)
        self.assertEqual(request.parts_state, "in_transit")
        shipment.status = "delivered"
        self.assertEqual(line.parts_state, "delivered")
        self.assertEqual(line.qty_delivered, 1)
        cost = self.env["aftersales.cost.line"].search(
            [
                ("source_model", "=", "stock.picking"),
                ("source_res_id", "=", delivery.id),
            ]
        )
        self.assertEqual(cost.ticket_id, self.ticket)
        self.assertEqual(cost.cost_type, "parts")
        self.assertEqual(cost.payer, "warranty")
        self.assertAlmostEqual(cost.amount, 200.0)

        request.with_user(self.agent).action_done()
        self.assertEqual(line.qty_consumed, 1)
        self.assertEqual(request.parts_state, "consumed")

    def test_bonded_warehouse_resupplies_the_service_warehouse(self):
        """Nothing in Nigeria, stock in Hamburg only: the Lagos service
        warehouse is resupplied from Hamburg by Odoo's inter-warehouse route:
        out of Hamburg (in transit), into Lagos, then to the hospital."""
        self._stock(self.wh_hamburg, 3)
        request = self._request(service_warehouse_id=self.wh_lagos.id)
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(line.warehouse_id, self.wh_hamburg)
        self.assertEqual(line.sourcing, "resupply")
        self.assertIn(self.wh_hamburg, self.wh_lagos.resupply_wh_ids)
        leg_out = self._pickings(request, self.wh_hamburg, "outgoing")
        leg_in = self._pickings(request, self.wh_lagos, "incoming")
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self.assertTrue(leg_out and leg_in and delivery)
        self.assertEqual(leg_out.location_dest_id.usage, "transit")
        self.assertEqual(delivery.move_ids.move_orig_ids, leg_in.move_ids)
        self.assertEqual(line.parts_state, "reserved")
        self.assertEqual(
            sorted(request.shipment_ids.mapped("direction")),
            ["hub_to_customer", "hub_to_repair"],
        )

        self._done(leg_out)
        self.assertEqual(line.parts_state, "in_transit")
        self.assertEqual(line.qty_in_transit, 1)
        self._done(leg_in)
        self.assertEqual(line.qty_in_transit, 0)
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(line.parts_state, "reserved")
        self._done(delivery)
        request.shipment_ids.status = "delivered"
        self.assertEqual(line.parts_state, "delivered")
        self.assertEqual(self._qty(self.wh_hamburg), 2)
        self.assertEqual(self._qty(self.wh_lagos), 0)

    def _qty(self, warehouse):
        return self.part.with_context(warehouse_id=warehouse.id).qty_available

    def test_most_stock_then_lead_time(self):
        self._stock(self.wh_hamburg, 3)
        self._stock(self.wh_shanghai, 8)
        request = self._request(quantity=2)
        request.action_confirm()
        self.assertEqual(request.line_ids.warehouse_id, self.wh_shanghai)
        # the same stock: the shorter lead time (Hamburg: 5 days, Shanghai: 12)
        self._stock(self.wh_hamburg, 5)
        request = self._request(quantity=2)
        request.action_confirm()
        self.assertEqual(request.line_ids.warehouse_id, self.wh_hamburg)

    def test_purchase_when_nothing_on_hand(self):
        """No warehouse has the part: Odoo's buy route makes an RFQ to the
        vendor for the central warehouse, whose delivery waits for the
        receipt."""
        self._stock(self.wh_lagos, 1)
        request = self._request(quantity=2)
        request.action_confirm()
        line = request.line_ids
        self.assertFalse(line.warehouse_id)
        self.assertEqual(line.sourcing, "purchase")
        self.assertEqual(line.parts_state, "waiting")
        order = request._purchase_orders()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.order_line.product_id, self.part)
        self.assertEqual(order.order_line.product_qty, 2)
        self.assertEqual(order.picking_type_id.warehouse_id, self.wh_shanghai)
        self.assertEqual(request.purchase_count, 1)
        order.button_confirm()
        receipt = order.picking_ids
        delivery = self._pickings(request, self.wh_shanghai, "outgoing")
        self.assertEqual(delivery.move_ids.move_orig_ids, receipt.move_ids)
        self.assertNotEqual(delivery.state, "assigned")
        self._done(receipt)
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(line.parts_state, "reserved")

    def test_dealer_consignment_owner(self):
        """A dealer's consignment stock in Nigeria counts only what the dealer
        owns."""
        dealer = self.env["res.partner"].create(
            {"name": "Abuja Medical Supplies", "is_company": True}
        )
        wh_dealer = self._source_warehouse(
            "Abuja Consignment",
            "XAB",
            "base.ng",
            2,
            aftersales_source_kind="consignment",
            aftersales_owner_id=dealer.id,
        )
        self._stock(self.wh_shanghai, 4)
        other = self.env["res.partner"].create({"name": "Another Dealer"})
        self._stock(wh_dealer, 5, owner=other)  # not the dealer's: does not count
        request = self._request()
        request.action_confirm()
        self.assertEqual(request.line_ids.warehouse_id, self.wh_shanghai)
        self._stock(wh_dealer, 1, owner=dealer)
        request = self._request()
        request.action_confirm()
        self.assertEqual(request.line_ids.warehouse_id, wh_dealer)
        self.assertEqual(request.line_ids.sourcing, "stock")

    def test_engineer_van_and_return_unused(self):
        """The engineer's van is his service warehouse: it is resupplied from
        Shanghai; the part he did not need comes back (Odoo's return of the
        delivery): returned unused, nothing consumed."""
        van = self._source_warehouse(
            "Van Okafor",
            "XVN",
            "base.ng",
            0,
            aftersales_source_kind="van",
            aftersales_engineer_id=self.agent.id,
        )
        self._stock(self.wh_shanghai, 4)
        request = self._request(user=self.agent)
        self.assertEqual(request.service_warehouse_id, van)
        request.with_user(self.agent).action_confirm()
        line = request.line_ids
        self.assertEqual(line.warehouse_id, self.wh_shanghai)
        self.assertEqual(line.sourcing, "resupply")
        self._done(self._pickings(request, self.wh_shanghai, "outgoing"))
        self._done(self._pickings(request, van, "incoming"))
        delivery = self._pickings(request, van, "outgoing")
        self._done(delivery)
        request.shipment_ids.status = "delivered"
        self.assertEqual(line.parts_state, "delivered")
        back = self._odoo_return(delivery, 1)
        self._done(back)
        self.assertEqual(line.qty_returned, 1)
        self.assertEqual(line.parts_state, "returned")
        request.action_done()
        self.assertEqual(line.qty_consumed, 0)
        self.assertEqual(request.parts_state, "returned")

    def test_orderpoint_raises_replenishment(self):
        """A part taken below the minimum of the Lagos service warehouse raises
        its orderpoint: Odoo's replenishment buys from the vendor."""
        self._stock(self.wh_lagos, 2)
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": self.wh_lagos.id,
                "location_id": self.wh_lagos.lot_stock_id.id,
                "product_id": self.part.id,
                "product_min_qty": 2,
                "product_max_qty": 5,
                "trigger": "auto",
                "route_id": self.wh_lagos.buy_pull_id.route_id.id,
            }
        )
        request = self._request()
        request.action_confirm()
        self.assertEqual(request.line_ids.warehouse_id, self.wh_lagos)
        po_line = self.env["purchase.order.line"].search(
            [("orderpoint_id", "=", orderpoint.id)]
        )
        self.assertEqual(po_line.product_id, self.part)
        # up to the maximum: 2 on hand - 1 requested + 4 = 5
        self.assertEqual(po_line.product_qty, 4)
        self.assertEqual(po_line.order_id.picking_type_id.warehouse_id, self.wh_lagos)
        self.assertFalse(request._purchase_orders())

    def test_cancel(self):
        self._stock(self.wh_lagos, 2)
        request = self._request()
        request.action_confirm()
        pickings = request.move_ids.picking_id
        request.action_cancel()
        self.assertEqual(set(pickings.mapped("state")), {"cancel"})
        self.assertEqual(request.parts_state, "cancel")

    def test_repair_parts_resupplied_and_consumed(self):
        """A repair in the Lagos workshop: the part becomes the repair's parts
        line, resupplied from Hamburg; the repair consumes it."""
        unit = self.env["product.product"].create(
            {"name": "PM-7 (repair)", "type": "consu", "is_storable": True}
        )
        self._stock(self.wh_lagos, 1, product=unit)
        repair = self.env["repair.order"].create(
            {
                "product_id": unit.id,
                "partner_id": self.customer_ng.id,
                "picking_type_id": self.wh_lagos.repair_type_id.id,
            }
        )
        repair.action_validate()
        self._stock(self.wh_hamburg, 2)
        request = self._request(ticket_id=False, repair_id=repair.id)
        self.assertEqual(request.partner_id, self.customer_ng)
        self.assertEqual(request.country_id, self.env.ref("base.ng"))
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(line.warehouse_id, self.wh_hamburg)
        self.assertEqual(line.sourcing, "resupply")
        repair_move = repair.move_ids.filtered(
            lambda m: m.aftersales_part_line_id == line
        )
        self.assertEqual(repair_move.repair_line_type, "add")
        self.assertEqual(repair_move.product_uom_qty, 1)
        self.assertEqual(request.ticket_id, self.env["aftersales.ticket"])
        self.assertFalse(self._pickings(request, self.wh_lagos, "outgoing"))
        self._done(self._pickings(request, self.wh_hamburg, "outgoing"))
        self._done(self._pickings(request, self.wh_lagos, "incoming"))
        self.assertEqual(repair_move.state, "assigned")
        self.assertEqual(line.parts_state, "reserved")
        repair.action_repair_start()
        repair.move_ids.picked = True
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(line.qty_consumed, 1)
        self.assertEqual(line.parts_state, "consumed")
