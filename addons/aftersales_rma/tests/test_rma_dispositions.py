from odoo import Command
from odoo.tests import tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaDispositions(RmaCase):
    def _received(self, lines, partner=None):
        rma = self._awaiting(self._rma(lines, partner=partner))
        self._receive(rma)
        self.assertEqual(rma.state, "received")
        return rma

    def _finish_repair(self, repair, parts=None):
        for product, qty in (parts or {}).items():
            repair.move_ids = [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "repair_line_type": "add",
                    }
                )
            ]
        repair.action_validate()
        repair.action_repair_start()
        self.assertEqual(repair.state, "under_repair")
        repair.action_assign()
        for move in repair.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")

    def test_repair_under_warranty(self):
        lot = self._lots(["RMA-R-1"])
        self._register(lot)
        rma = self._received([self._line(lot)])
        self.assertEqual(rma.line_ids.warranty_decision, "covered")
        self.assertEqual(
            rma.approval_note, "Approved automatically by the template's rule."
        )
        rma.action_process()
        self.assertEqual(rma.state, "processing")
        repair = rma.line_ids.repair_id
        self.assertEqual(repair.aftersales_rma_id, rma)
        self.assertEqual(rma.repair_ids, repair)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(repair.lot_id, lot)
        self.assertEqual(repair.product_location_src_id, self.rma_location)
        parts_before = self.product_part.with_context(
            location=self.stock_location.id
        ).qty_available
        self._finish_repair(repair, {self.product_part: 2})
        parts_after = self.product_part.with_context(
            location=self.stock_location.id
        ).qty_available
        self.assertEqual(parts_before - parts_after, 2, "parts consumed")
        self.assertEqual(rma.state, "processing", "the repaired unit must go back")
        back = self._kind(rma, "return_customer")
        self.assertEqual(back.aftersales_shipment_ids.direction, "hub_to_customer")
        self.assertEqual(back.move_ids.location_id, self.rma_location)
        self._do_picking(back, lots={self.product_us200: lot})
        self.assertTrue(rma.line_ids.resolved)
        self.assertEqual(rma.state, "done")
        self.assertEqual(repair.action_view_aftersales_rma()["res_id"], rma.id)

    def test_repair_chargeable_gets_a_quotation(self):
        lot = self._lots(["RMA-R-2"])
        rma = self._received([self._line(lot, warranty_decision="chargeable")])
        # chargeable: over the template's rule, a manager approved it
        self.assertEqual(rma.approved_by_id, self.manager)
        rma.action_process()
        repair = rma.line_ids.repair_id
        self.assertFalse(repair.under_warranty)
        repair.move_ids = [
            Command.create(
                {
                    "product_id": self.product_part.id,
                    "product_uom_qty": 1,
                    "repair_line_type": "add",
                }
            )
        ]
        repair.action_create_sale_order()
        order = repair.sale_order_id
        self.assertTrue(order)
        self.assertEqual(order.partner_id, self.customer_de)
        self.assertEqual(order.order_line.product_id, self.product_part)
        self.assertEqual(order.amount_untaxed, 800.0)

    def test_replace_with_substitute_and_returned_unit_location(self):
        faulty = self._lots(["RMA-X-1"])
        substitute = self._stock_serials(["RMA-X-NEW"], product=self.product_xr10)
        repair_area = self.env["stock.location"].create(
            {
                "name": "Repair Area",
                "usage": "internal",
                "location_id": self.warehouse.view_location_id.id,
            }
        )
        rma = self._received(
            [
                self._line(
                    faulty,
                    disposition="replace",
                    warranty_decision="covered",
                    replacement_product_id=self.product_xr10.id,
                    return_location_id=repair_area.id,
                )
            ]
        )
        rma.action_process()
        replacement = self._kind(rma, "replacement")
        self.assertEqual(replacement.move_ids.product_id, self.product_xr10)
        self.assertEqual(
            replacement.aftersales_shipment_ids.direction, "hub_to_customer"
        )
        disposal = self._kind(rma, "disposal")
        self.assertEqual(disposal.move_ids.location_dest_id, repair_area)
        self.assertFalse(disposal.aftersales_shipment_ids, "no shipment inside the hub")
        self._do_picking(replacement, lots={self.product_xr10: substitute})
        self.assertEqual(rma.line_ids.replacement_lot_ids, substitute)
        self.assertEqual(rma.state, "processing")
        self._do_picking(disposal, lots={self.product_us200: faulty})
        self.assertEqual(rma.state, "done")
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", faulty.id), ("quantity", ">", 0)]
        )
        self.assertEqual(quant.location_id, repair_area)

    def test_refund_from_original_invoice_in_its_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR list", "currency_id": eur.id}
        )
        lot = self._stock_serials(["RMA-F-1"])
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer_de.id,
                "pricelist_id": pricelist.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_us200.id,
                            "product_uom_qty": 1,
                            "price_unit": 11000.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self._deliver(order.picking_ids, lot)
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.currency_id, eur)
        rma = self._received(
            [self._line(lot, disposition="refund", warranty_decision="covered")]
        )
        rma.action_process()
        refund = rma.line_ids.refund_move_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.currency_id, eur)
        self.assertEqual(refund.invoice_line_ids.price_unit, 11000.0)
        self.assertEqual(
            refund.invoice_line_ids.tax_ids, invoice.invoice_line_ids.tax_ids
        )
        self.assertEqual(rma.line_ids.origin_invoice_line_id, invoice.invoice_line_ids)
        self.assertIn(refund, rma.invoice_ids)
        # the returned unit goes back to stock
        self._do_picking(self._kind(rma, "disposal"), lots={self.product_us200: lot})
        self.assertEqual(rma.state, "processing", "the credit note is not posted yet")
        refund.action_post()
        self.assertEqual(rma.state, "done")

    def test_refund_finds_invoice_through_warranty_sale_order(self):
        self.product_us200.invoice_policy = "order"
        lot = self._lots(["RMA-F-2"])
        order = self._sale(self.customer_de, [(self.product_us200, 1)])
        order.order_line.price_unit = 12000.0
        invoice = order._create_invoices()
        invoice.action_post()
        self._register(lot, sale_order_id=order.id)
        rma = self._received([self._line(lot, disposition="refund")])
        rma.action_process()
        refund = rma.line_ids.refund_move_id
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.invoice_line_ids.price_unit, 12000.0)

    def test_refund_without_invoice_from_product_price(self):
        rma = self._received([self._line(quantity=2, disposition="refund")])
        rma.action_process()
        refund = rma.line_ids.refund_move_id
        self.assertFalse(refund.reversed_entry_id)
        self.assertEqual(refund.currency_id, self.company.currency_id)
        self.assertEqual(refund.invoice_line_ids.price_unit, 40.0)
        self.assertEqual(refund.invoice_line_ids.quantity, 2)
        self.assertEqual(refund.partner_id, self.customer_de)

    def test_return_only(self):
        rma = self._received([self._line(quantity=2, disposition="return_only")])
        rma.action_process()
        back = self._kind(rma, "return_customer")
        self.assertEqual(back.move_ids.product_uom_qty, 2)
        self._do_picking(back)
        self.assertEqual(rma.line_ids.qty_replaced, 2)
        self.assertEqual(rma.state, "done")

    def test_scrap(self):
        lot = self._lots(["RMA-Z-1"])
        rma = self._received(
            [self._line(lot, disposition="scrap", warranty_decision="covered")]
        )
        rma.action_process()
        scrap = rma.line_ids.scrap_id
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.lot_id, lot)
        self.assertEqual(scrap.location_id, self.rma_location)
        self.assertEqual(rma.state, "done")

    def test_return_to_vendor(self):
        lot = self._lots(["RMA-V-1"])
        rma = self._received(
            [self._line(lot, disposition="replace", warranty_decision="covered")]
        )
        line = rma.line_ids
        line.write({"vendor_id": self.vendor.id, "vendor_credit_amount": 5000.0})
        line.action_return_to_vendor()
        self.assertEqual(line.vendor_return_state, "to_send")
        vendor_picking = line.vendor_picking_id
        self.assertEqual(vendor_picking.partner_id, self.vendor)
        self.assertEqual(vendor_picking.location_dest_id.usage, "supplier")
        self.assertEqual(
            vendor_picking.aftersales_shipment_ids.direction, "hub_to_supplier"
        )
        refund = line.vendor_refund_id
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.amount_untaxed, 5000.0)
        self._do_picking(vendor_picking, lots={self.product_us200: lot})
        self.assertEqual(line.vendor_return_state, "shipped")
        rma.action_process()
        self.assertFalse(self._kind(rma, "disposal"), "the unit went to the vendor")
        replacement = self._kind(rma, "replacement")
        new = self._stock_serials(["RMA-V-NEW"])
        self._do_picking(replacement, lots={self.product_us200: new})
        self.assertEqual(rma.state, "done")
        refund.invoice_date = refund.date
        refund.action_post()
        self.assertEqual(line.vendor_return_state, "credited")
        self.assertEqual(
            self.env["aftersales.rma.line"].search(
                [("vendor_return_state", "=", "credited")]
            ),
            line,
        )
