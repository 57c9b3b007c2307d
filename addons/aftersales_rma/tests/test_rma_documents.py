from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged

from ..const import (
    DISPOSITION_DOCUMENTS,
    DISPOSITIONS,
    PICKING_LEGS,
    PROCESS_ORDER,
    RMA_DOCUMENTS,
    RMA_PICKING_KINDS,
)
from .common import RmaCase


class TestDispositionTable(BaseCase):
    """The table of what each disposition produces is complete (no database)."""

    def test_every_disposition_and_document_is_known(self):
        legs = {kind for kind, _label in RMA_PICKING_KINDS}
        self.assertEqual(set(PICKING_LEGS), legs)
        documents = legs | set(RMA_DOCUMENTS)
        self.assertEqual(set(PROCESS_ORDER), documents - {"receipt"})
        self.assertEqual(
            set(DISPOSITION_DOCUMENTS), {key for key, _label in DISPOSITIONS}
        )
        for disposition, spec in DISPOSITION_DOCUMENTS.items():
            for moment in ("on_approval", "on_process", "after_repair", "waits_for"):
                self.assertLessEqual(set(spec[moment]), documents, disposition)
            # a line waits only for documents something makes (or the receipt)
            made = set(spec["on_approval"] + spec["on_process"] + spec["after_repair"])
            self.assertLessEqual(set(spec["waits_for"]) - {"receipt"}, made)


@tagged("post_install", "-at_install")
class TestRmaReceptionSteps(RmaCase):
    """A warehouse receiving in 1, 2 or 3 steps receives an RMA return through
    its steps; the RMA is received with the last one, the unit in its RMA
    location, and its documents take it there."""

    def _receive_through_steps(self, steps, serial):
        self.warehouse.reception_steps = steps
        lot = self._lots([serial])
        rma = self._awaiting(self._rma([self._line(lot, warranty_decision="covered")]))
        line = rma.line_ids
        first = self._kind(rma, "receipt")
        self.assertEqual(len(first), 1)
        self.assertEqual(first.picking_type_id, self.warehouse.aftersales_rma_type_id)
        self.assertEqual(first.aftersales_shipment_ids.direction, "customer_to_hub")
        done = self.env["stock.picking"]
        while True:
            todo = self._kind(rma, "receipt").filtered(lambda p: p.state != "done")
            if not todo:
                break
            self.assertEqual(len(todo), 1)
            self.assertEqual(rma.state, "awaiting_receipt", "not the last step yet")
            self.assertEqual(line.qty_received, 0)
            done |= self._do_picking(todo, lots={self.product_us200: lot})
        self.assertEqual(rma.state, "received")
        self.assertEqual(line.qty_received, 1)
        self.assertEqual(line.received_lot_ids, lot)
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("quantity", ">", 0)]
        )
        self.assertEqual(quant.location_id, self.rma_location)
        self.assertEqual(rma.picking_ids, done)
        self.assertEqual(
            len(done.aftersales_shipment_ids), 1, "only the first step ships"
        )
        rma.action_process()
        repair = line.repair_id
        self.assertEqual(repair.lot_id, lot)
        self.assertEqual(repair.product_location_src_id, self.rma_location)
        return done

    def test_one_step(self):
        steps = self._receive_through_steps("one_step", "RMA-STEP1-1")
        self.assertEqual(len(steps), 1)
        self.assertEqual(steps.location_dest_id, self.rma_location)

    def test_two_steps(self):
        steps = self._receive_through_steps("two_steps", "RMA-STEP2-1")
        warehouse = self.warehouse
        self.assertEqual(
            [(p.location_id, p.location_dest_id) for p in steps],
            [
                (
                    self.customer_de.property_stock_customer,
                    warehouse.wh_input_stock_loc_id,
                ),
                (warehouse.wh_input_stock_loc_id, self.rma_location),
            ],
        )
        self.assertEqual(steps[1].picking_type_id, warehouse.store_type_id)

    def test_three_steps(self):
        steps = self._receive_through_steps("three_steps", "RMA-STEP3-1")
        warehouse = self.warehouse
        self.assertEqual(
            [(p.location_id, p.location_dest_id) for p in steps],
            [
                (
                    self.customer_de.property_stock_customer,
                    warehouse.wh_input_stock_loc_id,
                ),
                (warehouse.wh_input_stock_loc_id, warehouse.wh_qc_stock_loc_id),
                (warehouse.wh_qc_stock_loc_id, self.rma_location),
            ],
        )
        self.assertEqual(
            steps[1:].picking_type_id, warehouse.qc_type_id | warehouse.store_type_id
        )

    def test_two_steps_two_rmas_keep_their_transfers(self):
        self.warehouse.reception_steps = "two_steps"
        lots = self._lots(["RMA-STEP2-A", "RMA-STEP2-B"])
        rmas = [
            self._awaiting(self._rma([self._line(lot, warranty_decision="covered")]))
            for lot in lots
        ]
        for rma, lot in zip(rmas, lots, strict=True):
            self._do_picking(self._kind(rma, "receipt"), lots={self.product_us200: lot})
        for rma, lot in zip(rmas, lots, strict=True):
            store = self._kind(rma, "receipt").filtered(lambda p: p.state != "done")
            self.assertEqual(store.move_ids.aftersales_rma_line_id, rma.line_ids)
            self.assertEqual(store.origin, rma.name)
            self._do_picking(store, lots={self.product_us200: lot})
            self.assertEqual(rma.state, "received")

    def test_two_steps_wrong_serial_flagged_once(self):
        self.warehouse.reception_steps = "two_steps"
        expected, other = self._lots(["RMA-STEP2-E", "RMA-STEP2-O"])
        rma = self._awaiting(
            self._rma([self._line(expected, warranty_decision="covered")])
        )
        self._do_picking(self._kind(rma, "receipt"), lots={self.product_us200: other})
        self.assertFalse(rma.serial_mismatch, "not received yet")
        store = self._kind(rma, "receipt").filtered(lambda p: p.state != "done")
        self._do_picking(store, lots={self.product_us200: other})
        self.assertEqual(rma.state, "received")
        self.assertTrue(rma.serial_mismatch)
        notes = rma.message_ids.filtered(lambda m: "Serial mismatch" in (m.body or ""))
        self.assertEqual(len(notes), 1)


class DocumentsCase(RmaCase):
    """Helpers of the tests below (no test of its own)."""

    def _hooked(self, name, key, value):
        """Patch the hook ``name`` of aftersales.rma so that its values get
        ``key``: ``value``."""
        Rma = type(self.env["aftersales.rma"])
        original = getattr(Rma, name)

        def hook(rma, *args, **kwargs):
            vals = original(rma, *args, **kwargs)
            vals[key] = value
            return vals

        return patch.object(Rma, name, hook)

    def _advance(self, faulty, new, template=None):
        rma = self._rma(
            [
                self._line(
                    faulty,
                    disposition="advance_replacement",
                    warranty_decision="covered",
                )
            ],
            partner=self.customer_ng,
        )
        if template:
            rma.template_id = template
        self._approved(rma)
        self._do_picking(self._kind(rma, "replacement"), lots={self.product_us200: new})
        return rma


@tagged("post_install", "-at_install")
class TestRmaDocumentHooks(DocumentsCase):
    """Each document of an RMA is built by one ``_prepare_*_vals`` hook: another
    addon changes a document by overriding that hook alone."""

    def test_receipt_delivery_repair_hooks(self):
        lot = self._lots(["RMA-HOOK-1"])
        rma = self._rma([self._line(lot, warranty_decision="covered")])
        self._approved(rma)
        with self._hooked("_prepare_receipt_vals", "origin", "HOOK-RECEIPT"):
            rma.action_request_return()
        self.assertEqual(self._kind(rma, "receipt").origin, "HOOK-RECEIPT")
        self._receive(rma)
        with self._hooked("_prepare_repair_vals", "internal_notes", "HOOK-REPAIR"):
            rma.action_process()
        repair = rma.line_ids.repair_id
        self.assertIn("HOOK-REPAIR", str(repair.internal_notes))
        repair.action_validate()
        repair.action_repair_start()
        with self._hooked("_prepare_delivery_vals", "origin", "HOOK-DELIVERY"):
            repair.action_repair_end()
        self.assertEqual(self._kind(rma, "return_customer").origin, "HOOK-DELIVERY")

    def test_refund_scrap_vendor_credit_hooks(self):
        # one product per line: the receipt is scanned per product
        scrap_lot = self._lots(["RMA-HOOK-S"], product=self.product_xr10)
        vendor_lot = self._lots(["RMA-HOOK-V"])
        rma = self._awaiting(
            self._rma(
                [
                    self._line(disposition="refund", warranty_decision="covered"),
                    self._line(
                        scrap_lot, disposition="scrap", warranty_decision="covered"
                    ),
                    self._line(
                        vendor_lot,
                        disposition="replace",
                        warranty_decision="covered",
                        vendor_return=True,
                        vendor_id=self.vendor.id,
                    ),
                ]
            )
        )
        self._receive(rma)
        self._stock_serials(["RMA-HOOK-NEW"])
        with (
            self._hooked("_prepare_refund_vals", "ref", "HOOK-REFUND"),
            self._hooked("_prepare_scrap_vals", "origin", "HOOK-SCRAP"),
            self._hooked("_prepare_vendor_credit_vals", "ref", "HOOK-VENDOR"),
        ):
            rma.action_process()
        refund, scrap, vendor = rma.line_ids
        self.assertEqual(refund.refund_move_id.ref, "HOOK-REFUND")
        self.assertEqual(scrap.scrap_id.origin, "HOOK-SCRAP")
        self.assertEqual(vendor.vendor_refund_id.ref, "HOOK-VENDOR")

    def test_deposit_hook(self):
        faulty = self._lots(["RMA-HOOK-D"])
        new = self._stock_serials(["RMA-HOOK-DNEW"])
        start = datetime(2026, 3, 2, 9, 0)
        with self._at(start):
            rma = self._advance(faulty, new)
        with (
            self._at(start + timedelta(days=32)),
            self._hooked("_prepare_deposit_vals", "ref", "HOOK-DEPOSIT"),
        ):
            self.env["aftersales.rma"]._cron_advance_returns()
        self.assertEqual(rma.line_ids.deposit_move_id.ref, "HOOK-DEPOSIT")


@tagged("post_install", "-at_install")
class TestRmaLooseEnds(DocumentsCase):
    def test_advance_replacement_requests_the_return_when_shipped(self):
        faulty = self._lots(["RMA-AUTO-1"])
        new = self._stock_serials(["RMA-AUTO-NEW"])
        rma = self._rma(
            [
                self._line(
                    faulty,
                    disposition="advance_replacement",
                    warranty_decision="covered",
                )
            ],
            partner=self.customer_ng,
        )
        self._approved(rma)
        self.assertFalse(self._kind(rma, "receipt"), "not before the replacement ships")
        self._do_picking(self._kind(rma, "replacement"), lots={self.product_us200: new})
        self.assertEqual(rma.state, "awaiting_receipt")
        receipt = self._kind(rma, "receipt")
        self.assertEqual(receipt.move_ids.product_uom_qty, 1)
        self.assertEqual(receipt.aftersales_shipment_ids.direction, "customer_to_hub")
        self.assertTrue(rma.ship_by_date)
        self.assertIn("return of the faulty unit is requested", rma.message_ids[0].body)
        # the button stays harmless
        rma.action_request_return()
        self.assertEqual(len(self._kind(rma, "receipt")), 1)
        self._receive(rma)
        self.assertEqual(rma.state, "received")

    def test_deposit_that_cannot_be_made_does_not_stop_the_others(self):
        old_income = self.env["account.account"].create(
            {"name": "Old deposits", "code": "799901", "account_type": "income"}
        )
        bad_product = self.env["product.product"].create(
            {
                "name": "Old Deposit",
                "type": "service",
                "property_account_income_id": old_income.id,
            }
        )
        old_income.deprecated = True
        bad_template = self.tmpl_world.copy(
            {
                "name": "World (old deposit)",
                "advance_deposit_product_id": bad_product.id,
            }
        )
        faulty = self._lots(["RMA-DEP-1", "RMA-DEP-2"])
        new = self._stock_serials(["RMA-DEP-NEW1", "RMA-DEP-NEW2"])
        start = datetime(2026, 3, 2, 9, 0)
        with self._at(start):
            bad = self._advance(faulty[0], new[0], template=bad_template)
            good = self._advance(faulty[1], new[1])
        self.assertEqual(bad.template_id, bad_template)
        Rma = self.env["aftersales.rma"]
        with self._at(start + timedelta(days=32)):
            Rma._cron_advance_returns()
            self.assertEqual(good.line_ids.deposit_move_id.state, "posted")
            self.assertFalse(bad.line_ids.deposit_move_id)
            self.assertIn("deprecated", bad.line_ids.deposit_error)
            self.assertIn("could not be made", bad.message_ids[0].body)
            failed = bad.activity_ids.filtered(
                lambda a: a.summary == "Deposit invoice failed"
            )
            self.assertEqual(len(failed), 1)
            # tried again at the next run; the same error is not noted twice
            messages = len(bad.message_ids)
            Rma._cron_advance_returns()
            self.assertFalse(bad.line_ids.deposit_move_id)
            self.assertEqual(len(bad.message_ids), messages)
            self.assertEqual(
                len(bad.activity_ids.filtered(lambda a: a.summary == failed.summary)),
                1,
            )
            # once the account is fixed, the next run invoices it
            old_income.deprecated = False
            Rma._cron_advance_returns()
            self.assertEqual(bad.line_ids.deposit_move_id.state, "posted")
            self.assertFalse(bad.line_ids.deposit_error)
            self.assertEqual(
                self.env["account.move"].search_count(
                    [
                        ("aftersales_rma_id", "in", (bad | good).ids),
                        ("move_type", "=", "out_invoice"),
                    ]
                ),
                2,
            )

    def test_closing_names_what_each_line_waits_for(self):
        repair_lot = self._lots(["RMA-WAIT-2"])
        rma = self._awaiting(
            self._rma(
                [
                    self._line(disposition="refund", warranty_decision="covered"),
                    self._line(repair_lot, warranty_decision="covered"),
                ]
            )
        )
        self._receive(rma)
        rma.action_process()
        refund_line, repair_line = rma.line_ids
        disposal = self._kind(rma, "disposal")
        credit_note = refund_line.refund_move_id
        repair = repair_line.repair_id
        with self.assertRaises(UserError) as caught:
            rma.action_done()
        message = str(caught.exception)
        self.assertIn("Probe Cable waits for", message)
        self.assertIn("(RMA-WAIT-2) waits for", message)
        self.assertIn(
            f"the put-away transfer of the returned unit {disposal.name}", message
        )
        self.assertIn(f"the credit note to post {credit_note.display_name}", message)
        self.assertIn(f"the repair order {repair.name}", message)
        self.assertIn(
            "the delivery back to the customer (not made yet)",
            repair_line.waiting_for,
        )
        # a service user without stock or invoicing rights reads it too
        self.assertIn(disposal.name, refund_line.with_user(self.agent_de).waiting_for)
        self._do_picking(disposal)
        self.assertNotIn(disposal.name, refund_line.waiting_for)
        credit_note.action_post()
        self.assertTrue(refund_line.resolved)
        self.assertFalse(refund_line.waiting_for)


@tagged("post_install", "-at_install")
class TestRmaDeliverySteps(DocumentsCase):
    """A warehouse delivering in 2 or 3 steps sends a replacement through its
    delivery route (procurement): pick (, pack) and ship, all on the RMA; the
    shipment is the leg that leaves the hub."""

    def _advance_through_steps(self, steps, serial, count):
        self.warehouse.delivery_steps = steps
        faulty = self._lots([serial])
        new = self._stock_serials([f"{serial}-NEW"])
        rma = self._rma(
            [
                self._line(
                    faulty,
                    disposition="advance_replacement",
                    warranty_decision="covered",
                )
            ],
            partner=self.customer_ng,
        )
        self._approved(rma)
        line = rma.line_ids
        first = self._kind(rma, "replacement")
        self.assertEqual(len(first), 1, "the pick; the next steps come after it")
        self.assertEqual(first.picking_type_id, self.warehouse.pick_type_id)
        self.assertFalse(first.aftersales_shipment_ids, "the pick stays in the hub")
        while True:
            todo = self._kind(rma, "replacement").filtered(lambda p: p.state != "done")
            if not todo:
                break
            self.assertEqual(len(todo), 1)
            self.assertEqual(rma.state, "approved", "the replacement is not out yet")
            self.assertEqual(line.qty_replaced, 0)
            self._do_picking(todo, lots={self.product_us200: new})
        pickings = self._kind(rma, "replacement")
        self.assertEqual(len(pickings), count)
        self.assertEqual(pickings.move_ids.aftersales_rma_line_id, line)
        self.assertEqual(pickings.group_id, rma.procurement_group_id)
        out = pickings.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(out.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(out.location_dest_id, self.customer_ng.property_stock_customer)
        self.assertEqual(pickings.aftersales_shipment_ids.picking_id, out)
        self.assertEqual(out.aftersales_shipment_ids.direction, "hub_to_customer")
        self.assertEqual(line.qty_replaced, 1)
        self.assertEqual(line.replacement_lot_ids, new)
        self.assertEqual(rma.state, "awaiting_receipt", "the return is requested")
        return rma

    def test_pick_ship(self):
        self._advance_through_steps("pick_ship", "RMA-DLV2-1", 2)

    def test_pick_pack_ship(self):
        rma = self._advance_through_steps("pick_pack_ship", "RMA-DLV3-1", 3)
        self._receive(rma)
        rma.action_process()
        self._do_picking(
            self._kind(rma, "disposal"),
            lots={self.product_us200: rma.line_ids.lot_id},
        )
        self.assertEqual(rma.state, "done")
