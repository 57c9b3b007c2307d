from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartlyCoveredDemo(TransactionCase):
    """The demo's partly covered repair in Dubai: the clinic's quotation holds
    only its share, 20 % of the labour plus the deductible; the part is covered."""

    def test_dubai_quotation_holds_the_clinic_share(self):
        rma = self.env.ref("aftersales_rma.rma_demo_dubai_partial", False)
        if not rma:
            return  # installed without demo data
        clinic = self.env.ref("aftersales_service.demo_customer_dubai")
        warranty = self.env.ref("aftersales_rma.demo_partly_covered_warranty")
        self.assertEqual(rma.partner_id, clinic)
        self.assertEqual(rma.state, "processing")
        self.assertEqual(rma.line_ids.warranty_decision, "partial")
        self.assertEqual(rma.line_ids.qty_received, 1.0)
        self.assertEqual(warranty.state, "active")
        self.assertEqual((warranty.parts_coverage, warranty.labour_coverage), (100, 80))

        repair = rma.line_ids.repair_id
        self.assertEqual(repair.lot_id, rma.line_ids.lot_id)
        self.assertFalse(repair.under_warranty)
        order = repair.sale_order_id
        self.assertEqual(order.partner_id, clinic)
        self.assertEqual(order.state, "draft")
        board = self.env.ref("aftersales_rma.demo_product_display_board")
        hour = self.env.ref("aftersales_rma.demo_partly_covered_service_hour")
        deductible_product = self.env.ref("aftersales_rma.product_warranty_deductible")
        part = order.order_line.filtered(lambda line: line.product_id == board)
        labour = order.order_line.filtered(lambda line: line.product_id == hour)
        deductible = order.order_line.filtered(
            lambda line: line.product_id == deductible_product
        )
        self.assertEqual(len(order.order_line), 3)

        # the display board: a part of the repair, covered in full
        self.assertEqual(part.move_ids.repair_id, repair)
        self.assertEqual(part.discount, 100.0)
        self.assertEqual(part.price_unit, board.lst_price)
        self.assertEqual(part.price_subtotal, 0.0)
        # two hours at list price, 80 % covered: the clinic pays 20 %
        self.assertEqual(labour.product_uom_qty, 2.0)
        self.assertEqual(labour.discount, 80.0)
        self.assertAlmostEqual(labour.price_subtotal, 0.2 * 2 * hour.lst_price)
        # the Gulf rule's deductible, a line of its own in the order's currency
        self.assertIn(warranty.policy_id.name, deductible.name)
        self.assertEqual(deductible.discount, 0.0)
        expected = warranty.currency_id._convert(
            warranty.deductible_amount,
            order.currency_id,
            order.company_id,
            order.date_order,
        )
        self.assertGreater(expected, 0.0)
        self.assertAlmostEqual(deductible.price_subtotal, expected, places=2)
        self.assertAlmostEqual(
            order.amount_untaxed, labour.price_subtotal + expected, places=2
        )
