from odoo import Command
from odoo.tests import BaseCase, tagged

from ..tools.coverage import coverage_discount, split_amount
from .common import RmaCase


class TestCoverageTools(BaseCase):
    """Pure functions: no database."""

    def test_discount_is_the_coverage_within_bounds(self):
        self.assertEqual(coverage_discount(80.0), 80.0)
        self.assertEqual(coverage_discount(None), 0.0)
        self.assertEqual(coverage_discount(-5), 0.0)
        self.assertEqual(coverage_discount(120), 100.0)

    def test_split_adds_up(self):
        self.assertEqual(split_amount(200.0, 80.0), (160.0, 40.0))
        self.assertEqual(split_amount(100.0, 100.0), (100.0, 0.0))
        self.assertEqual(split_amount(0.1, 33.0), (0.03, 0.07))
        warranty, customer = split_amount(99.99, 33.3)
        self.assertAlmostEqual(warranty + customer, 99.99)


@tagged("post_install", "-at_install")
class TestPartlyCoveredRepair(RmaCase):
    """The quotation of a partly covered repair holds only the customer's share:
    before, it charged the customer the whole repair."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_eu.write(
            {"parts_coverage": 50.0, "labour_coverage": 80.0, "deductible_amount": 50.0}
        )
        cls.labour = cls.env["product.product"].create(
            {"name": "Service hour", "type": "service", "list_price": 100.0}
        )

    def _quoted_repair(self, serial, decision):
        lot = self._lots([serial])
        warranty = self._register(lot)
        self.assertEqual(warranty.labour_coverage, 80.0)
        rma = self._awaiting(self._rma([self._line(lot, warranty_decision=decision)]))
        self._receive(rma)
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
        order.order_line = [
            Command.create({"product_id": self.labour.id, "product_uom_qty": 2})
        ]
        return repair, order

    def test_customer_pays_own_share_and_deductible(self):
        _repair, order = self._quoted_repair("RMA-P-1", "partial")
        part = order.order_line.filtered(
            lambda line: line.product_id == self.product_part
        )
        labour = order.order_line.filtered(lambda line: line.product_id == self.labour)
        deductible = order.order_line - part - labour
        # the part: 800 at list price, half covered
        self.assertEqual((part.price_unit, part.discount), (800.0, 50.0))
        self.assertEqual(part.price_subtotal, 400.0)
        # 2 hours at 100, 80 % covered: the customer pays 20 %
        self.assertEqual((labour.discount, labour.price_subtotal), (80.0, 40.0))
        # the deductible, a line of its own, in the order's currency
        self.assertEqual(
            deductible.product_id,
            self.env.ref("aftersales_rma.product_warranty_deductible"),
        )
        expected = self.eur._convert(
            50.0, order.currency_id, order.company_id, order.date_order
        )
        self.assertAlmostEqual(deductible.price_subtotal, expected, places=2)
        self.assertIn(self.rule_eu.name, deductible.name)
        self.assertAlmostEqual(order.amount_untaxed, 440.0 + expected, places=2)

    def test_chargeable_repair_is_charged_in_full(self):
        _repair, order = self._quoted_repair("RMA-P-2", "chargeable")
        self.assertEqual(order.order_line.mapped("discount"), [0.0, 0.0])
        self.assertEqual(order.amount_untaxed, 800.0 + 200.0)
