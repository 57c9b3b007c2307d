from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaFlow(RmaCase):
    def test_create_from_ticket(self):
        lot = self._stock_serials(["RMA-T-1"])
        self._register(lot)
        ticket = self._claim(lot)
        self.assertEqual(ticket.warranty_decision, "covered")
        ticket.with_user(self.agent_de).action_create_rma()
        rma = ticket.rma_ids
        self.assertEqual(len(rma), 1)
        self.assertEqual(ticket.rma_count, 1)
        self.assertTrue(rma.name.startswith("RMA"))
        self.assertEqual(rma.partner_id, self.customer_de)
        self.assertEqual(rma.dealer_id, self.dealer_hh)
        self.assertEqual(rma.template_id, self.tmpl_de)
        self.assertEqual(rma.warehouse_id, self.warehouse)
        self.assertEqual(rma.line_ids.product_id, self.product_us200)
        self.assertEqual(rma.line_ids.lot_id, lot)
        self.assertEqual(rma.line_ids.warranty_decision, "covered")
        self.assertEqual(rma.line_ids.disposition, "repair")
        # overridable
        rma.line_ids.warranty_decision = "chargeable"
        self.assertEqual(rma.line_ids.warranty_decision, "chargeable")

    def test_create_from_tickets_in_batch(self):
        lots = self._stock_serials(["RMA-B-1", "RMA-B-2", "RMA-B-3"])
        tickets = self.env["aftersales.ticket"]
        for lot in lots:
            tickets |= self._claim(lot)
        action = tickets.action_create_rma()
        self.assertEqual(len(tickets.rma_ids), 3)
        self.assertEqual(action["domain"], [("id", "in", tickets.rma_ids.ids)])
        self.assertEqual(tickets.rma_ids.line_ids.lot_id, lots)
        names = tickets.rma_ids.mapped("name")
        self.assertEqual(len(set(names)), 3)
        self.assertTrue(all(name.startswith("RMA") for name in names))
        numbers = sorted(int(name.rsplit("-", 1)[1]) for name in names)
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)))

    def test_warranty_decision_from_serial_without_ticket(self):
        covered, unknown = self._stock_serials(["RMA-W-1", "RMA-W-2"])
        self._register(covered)
        with Form(self.env["aftersales.rma"]) as form:
            form.partner_id = self.customer_de
            with form.line_ids.new() as line:
                line.product_id = self.product_us200
                line.lot_id = covered
            with form.line_ids.new() as line:
                line.product_id = self.product_us200
                line.lot_id = unknown
        rma = form.record
        self.assertEqual(rma.line_ids[0].product_id, self.product_us200)
        self.assertEqual(
            rma.line_ids.mapped("warranty_decision"), ["covered", "chargeable"]
        )

    def test_state_machine_guards(self):
        rma = self._rma([self._line(quantity=2)])
        with self.assertRaises(UserError):
            rma.action_process()
        with self.assertRaises(UserError):
            rma.action_request_return()
        empty = self._rma([])
        with self.assertRaises(UserError):
            empty.action_submit()

    def test_receipt_with_wrong_serial_is_flagged(self):
        expected, other = self._lots(["RMA-S-1", "RMA-S-2"])
        rma = self._awaiting(
            self._rma([self._line(expected, warranty_decision="covered")])
        )
        receipt = self._kind(rma, "receipt")
        self.assertEqual(receipt.location_dest_id, self.rma_location)
        self.assertEqual(receipt.picking_type_id, self.warehouse.aftersales_rma_type_id)
        self.assertEqual(receipt.aftersales_shipment_ids.direction, "customer_to_hub")
        self.assertEqual(receipt.aftersales_shipment_ids.export_reason, "repair_return")
        self._receive(rma, lots={self.product_us200: other})
        # not blocked: received, flagged, noted and an activity to check
        self.assertEqual(rma.state, "received")
        self.assertTrue(rma.line_ids.serial_mismatch)
        self.assertTrue(rma.serial_mismatch)
        self.assertEqual(rma.line_ids.received_lot_ids, other)
        self.assertIn("RMA-S-2", rma.message_ids[0].body)
        self.assertTrue(rma.activity_ids)
        self.assertEqual(
            self.env["aftersales.rma"].search([("serial_mismatch", "=", True)]), rma
        )

    def test_receipt_with_right_serial(self):
        lot = self._lots(["RMA-S-3"])
        rma = self._awaiting(self._rma([self._line(lot, warranty_decision="covered")]))
        self._receive(rma)
        self.assertEqual(rma.state, "received")
        self.assertFalse(rma.serial_mismatch)
        self.assertEqual(rma.line_ids.qty_received, 1)

    def test_partial_receipt_with_backorder(self):
        rma = self._awaiting(self._rma([self._line(quantity=3, disposition="refund")]))
        self._receive(rma, quantities={self.product_cable: 2})
        self.assertEqual(rma.state, "awaiting_receipt")
        self.assertEqual(rma.line_ids.qty_received, 2)
        self._receive(rma)
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.line_ids.qty_received, 3)

    def test_partial_receipt_without_backorder_refunds_what_came(self):
        rma = self._awaiting(self._rma([self._line(quantity=3, disposition="refund")]))
        self._receive(rma, quantities={self.product_cable: 2}, backorder=False)
        self.assertEqual(rma.state, "received")
        rma.action_process()
        refund = rma.line_ids.refund_move_id
        self.assertEqual(refund.invoice_line_ids.quantity, 2)
        self.assertEqual(refund.invoice_line_ids.price_unit, 40.0)

    def test_return_wizard_caps_quantities(self):
        order = self._sale(self.customer_de, [(self.product_cable, 5)])
        self.env["stock.quant"]._update_available_quantity(
            self.product_cable, self.stock_location, 5
        )
        delivery = order.picking_ids
        delivery.action_assign()
        self._do_picking(delivery)
        wizard = Form(
            self.env["aftersales.rma.return.wizard"].with_context(
                active_model="stock.picking", active_id=delivery.id
            )
        )
        self.assertEqual(wizard.line_ids._records[0]["max_quantity"], 5)
        with wizard.line_ids.edit(0) as line:
            line.quantity = 6
        with self.assertRaises(UserError):
            wizard.save().action_create_rma()
        wizard = Form(
            self.env["aftersales.rma.return.wizard"].with_context(
                active_model="stock.picking", active_id=delivery.id
            )
        )
        with wizard.line_ids.edit(0) as line:
            line.quantity = 3
        action = wizard.save().action_create_rma()
        rma = self.env["aftersales.rma"].browse(action["res_id"])
        self.assertEqual(rma.origin_picking_id, delivery)
        self.assertEqual(rma.line_ids.quantity, 3)
        self.assertEqual(rma.line_ids.sale_line_id, order.order_line)
        again = Form(
            self.env["aftersales.rma.return.wizard"].with_context(
                default_picking_id=delivery.id
            )
        )
        self.assertEqual(again.line_ids._records[0]["max_quantity"], 2)
        # a cancelled RMA gives its quantity back
        rma.action_cancel()
        values = delivery._aftersales_returnable_values()
        self.assertEqual(values[0]["max_quantity"], 5)
        # a unit brought back by Odoo's own return is not returnable again
        odoo_return = self._odoo_return(delivery)
        self._do_picking(odoo_return)
        values = delivery._aftersales_returnable_values()
        self.assertEqual(values[0]["max_quantity"], 4)

    def test_cancel_at_each_state(self):
        lot = self._lots(["RMA-C-1"])
        draft = self._rma([self._line()])
        submitted = self._rma([self._line()])
        submitted.action_submit()
        approved = self._approved(self._rma([self._line()]))
        awaiting = self._awaiting(self._rma([self._line()]))
        received = self._awaiting(
            self._rma([self._line(lot, warranty_decision="covered")])
        )
        self._receive(received)
        processing = self._awaiting(
            self._rma([self._line(quantity=2, disposition="return_only")])
        )
        self._receive(processing)
        processing.action_process()
        self.assertEqual(processing.state, "processing")
        processing_repair = received
        processing_repair.action_process()
        repair = processing_repair.line_ids.repair_id
        self.assertTrue(repair)
        for rma in (
            draft,
            submitted,
            approved,
            awaiting,
            processing,
            processing_repair,
        ):
            rma.action_cancel()
            self.assertEqual(rma.state, "cancel")
        receipt = awaiting.picking_ids
        self.assertEqual(receipt.state, "cancel")
        # done pickings stay done, open ones are cancelled
        self.assertEqual(
            sorted(processing.picking_ids.mapped("state")), ["cancel", "done"]
        )
        self.assertEqual(repair.state, "cancel")
        rejected = self._rma([self._line(quantity=100, price_unit=1000.0)])
        rejected.action_submit()
        rejected.with_user(self.manager).rejection_reason = "Out of scope"
        rejected.with_user(self.manager).action_reject()
        rejected.action_cancel()
        self.assertEqual(rejected.state, "cancel")
        rejected.action_draft()
        self.assertEqual(rejected.state, "draft")

    def test_cancel_received_and_advance_approved(self):
        received = self._awaiting(self._rma([self._line(quantity=2)]))
        self._receive(received)
        self.assertEqual(received.state, "received")
        received.action_cancel()
        self.assertEqual(received.state, "cancel")
        self.assertEqual(received.picking_ids.state, "done", "a done receipt stays")
        lot = self._lots(["RMA-C-ADV"])
        advance = self._rma(
            [
                self._line(
                    lot, disposition="advance_replacement", warranty_decision="covered"
                )
            ]
        )
        self._approved(advance)
        replacement = self._kind(advance, "replacement")
        self.assertTrue(replacement)
        advance.action_cancel()
        self.assertEqual(replacement.state, "cancel")
        self.assertEqual(replacement.aftersales_shipment_ids.rma_id, advance)

    def test_cannot_cancel_done(self):
        rma = self._awaiting(self._rma([self._line(disposition="return_only")]))
        self._receive(rma)
        rma.action_process()
        self._do_picking(self._kind(rma, "return_customer"))
        self.assertEqual(rma.state, "done")
        with self.assertRaises(UserError):
            rma.action_cancel()

    def test_new_warehouse_gets_rma_location_and_type(self):
        warehouse = self.env["stock.warehouse"].create(
            {"name": "Dubai Hub", "code": "DXB"}
        )
        self.assertEqual(warehouse.aftersales_rma_location_id.usage, "internal")
        self.assertEqual(
            warehouse.aftersales_rma_location_id.location_id, warehouse.view_location_id
        )
        picking_type = warehouse.aftersales_rma_type_id
        self.assertEqual(picking_type.code, "incoming")
        self.assertEqual(
            picking_type.default_location_dest_id, warehouse.aftersales_rma_location_id
        )
        self.assertTrue(self.warehouse.aftersales_rma_type_id, "post_init_hook")

    def test_smart_buttons(self):
        lot = self._stock_serials(["RMA-SB-1"])
        ticket = self._claim(lot)
        ticket.action_create_rma()
        rma = ticket.rma_ids
        rma.line_ids.warranty_decision = "covered"
        self._awaiting(rma)
        self.assertEqual(rma.picking_count, 1)
        self.assertEqual(rma.shipment_count, 1)
        self.assertEqual(rma.action_view_pickings()["res_id"], rma.picking_ids.id)
        self.assertEqual(rma.action_view_ticket()["res_id"], ticket.id)
        self.assertEqual(ticket.action_view_rmas()["res_id"], rma.id)
        self.assertEqual(rma.picking_ids.action_view_aftersales_rma()["res_id"], rma.id)
        self.assertEqual(
            rma.picking_ids.action_view_aftersales_shipments()["res_id"],
            rma.shipment_ids.id,
        )
        self.assertEqual(rma.action_view_shipments()["res_id"], rma.shipment_ids.id)
