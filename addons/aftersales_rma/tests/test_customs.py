import logging

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common_customs import CustomsCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestCustomsData(CustomsCase):
    def test_export_reason_follows_direction_and_dispositions(self):
        repair = self._make_rma("repair")
        self.assertEqual(
            self._make_shipment(repair, "customer_to_hub").export_reason,
            "repair_return",
        )
        self.assertEqual(
            self._make_shipment(repair, "hub_to_customer").export_reason,
            "repaired_return",
        )
        exchange = self._make_rma("replace", "covered")
        self.assertEqual(
            self._make_shipment(exchange, "hub_to_customer").export_reason,
            "warranty_exchange",
        )
        chargeable = self._make_rma("advance_replacement", "chargeable")
        self.assertEqual(
            self._make_shipment(chargeable, "hub_to_customer").export_reason,
            "replacement",
        )
        # an explicit reason wins; it can still be changed afterwards
        shipment = self._make_shipment(repair, "hub_to_customer", export_reason="sale")
        self.assertEqual(shipment.export_reason, "sale")
        self.assertFalse(shipment.customs_no_commercial_value)
        shipment.export_reason = "warranty_exchange"
        self.assertTrue(shipment.customs_no_commercial_value)

    def test_export_reason_in_form(self):
        rma = self._make_rma("replace", "covered")
        with Form(self.env["aftersales.shipment"].with_user(self.agent)) as form:
            form.rma_id = rma
            form.partner_id = self.customer
            form.direction = "customer_to_hub"
            self.assertEqual(form.export_reason, "repair_return")
            form.direction = "hub_to_customer"
            self.assertEqual(form.export_reason, "warranty_exchange")

    def test_fill_lines_from_rma(self):
        rma = self._make_rma("repair")
        shipment = self._make_shipment(rma, "customer_to_hub", incoterm_id=False)
        shipment.with_user(self.agent).action_fill_customs_lines()
        line = shipment.line_ids
        self.assertEqual(len(line), 1)
        self.assertRecordValues(
            line,
            [
                {
                    "product_id": self.product.id,
                    "lot_id": self.lot.id,
                    "name": "Ultrasound Probe C5-2",
                    "quantity": 1.0,
                    "uom_id": self.product.uom_id.id,
                    "hs_code": "9018.12.00",
                    "origin_country_id": self.china.id,
                    "weight": 0.85,
                    "total_weight": 0.85,
                    "price_unit": 420.0,  # a repair return: at cost
                    "price_subtotal": 420.0,
                    "currency_id": self.currency.id,
                }
            ],
        )
        self.assertEqual(shipment.declared_value, 420.0)
        self.assertEqual(shipment.amount_total, 420.0)
        self.assertAlmostEqual(shipment.net_weight, 0.85)
        self.assertAlmostEqual(shipment.gross_weight, 0.85)
        self.assertEqual(shipment.package_count, 1)

        # the customs data of a line can be corrected without touching the product
        line.write({"hs_code": "9018.19.90", "quantity": 2.0, "price_unit": 300.0})
        self.assertEqual(self.product.hs_code, "9018.12.00")
        self.assertEqual(line.price_subtotal, 600.0)
        self.assertEqual(shipment.declared_value, 600.0)
        self.assertAlmostEqual(shipment.net_weight, 1.7)
        # a declared value typed in by hand stays until the lines change again
        shipment.declared_value = 250.0
        self.assertEqual(shipment.declared_value, 250.0)
        self.assertEqual(shipment.amount_total, 600.0)

        # filling again replaces the lines
        shipment.action_fill_customs_lines()
        self.assertEqual(len(shipment.line_ids), 1)
        self.assertEqual(shipment.line_ids.hs_code, "9018.12.00")

    def test_fill_lines_to_customer(self):
        """Refunded goods stay; a replacement leaves with a serial not yet known;
        sold goods are valued at the sales price."""
        spare = self.env["product.product"].create(
            {"name": "Probe Cable", "type": "consu", "standard_price": 12.0}
        )
        rma = self._make_rma("replace", "covered")
        rma.write(
            {
                "line_ids": [
                    Command.create(
                        {"product_id": spare.id, "quantity": 3, "disposition": "refund"}
                    )
                ]
            }
        )
        shipment = self._make_shipment(rma, "hub_to_customer")
        shipment.action_fill_customs_lines()
        self.assertRecordValues(
            shipment.line_ids,
            [{"product_id": self.product.id, "lot_id": False, "price_unit": 420.0}],
        )
        sale = self._make_shipment(rma, "hub_to_customer", export_reason="sale")
        sale.action_fill_customs_lines()
        self.assertEqual(sale.line_ids.price_unit, 980.0)

    def test_fill_lines_from_picking_with_serials_and_packages(self):
        lot2 = self.env["stock.lot"].create(
            {"name": "SN-C52-0002", "product_id": self.product.id}
        )
        package = self.env["stock.quant.package"].create(
            {"name": "CTN-001", "shipping_weight": 3.5}
        )
        picking = self._make_picking(self.lot | lot2, package)
        self.assertEqual(len(picking.move_line_ids), 2)

        rma = self._make_rma("repair")
        shipment = self._make_shipment(rma, "hub_to_customer", picking_id=picking.id)
        self.assertEqual(shipment.package_count, 1)
        shipment.action_fill_customs_lines()
        self.assertEqual(shipment.line_ids.lot_id, self.lot | lot2)
        self.assertEqual(shipment.line_ids.mapped("quantity"), [1.0, 1.0])
        self.assertAlmostEqual(shipment.net_weight, 1.7)
        self.assertAlmostEqual(shipment.gross_weight, 3.5)
        self.assertEqual(shipment.declared_value, 840.0)

    def test_values_in_shipment_currency(self):
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search(
                [("id", "!=", self.currency.id), ("name", "in", ("EUR", "USD"))],
                limit=1,
            )
        )
        other.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": other.id,
                "rate": 0.5 * self.currency.rate,
                "name": fields.Date.today(),
                "company_id": self.company.id,
            }
        )
        rma = self._make_rma("repair")
        shipment = self._make_shipment(rma, "customer_to_hub", currency_id=other.id)
        shipment.action_fill_customs_lines()
        self.assertEqual(shipment.line_ids.currency_id, other)
        self.assertAlmostEqual(shipment.line_ids.price_unit, 210.0)
        self.assertAlmostEqual(shipment.declared_value, 210.0)

    def test_serial_of_another_product(self):
        rma = self._make_rma("repair")
        shipment = self._make_shipment(rma, "customer_to_hub")
        shipment.action_fill_customs_lines()
        other = self.env["product.product"].create(
            {"name": "Transducer", "type": "consu", "tracking": "serial"}
        )
        with self.assertRaises(ValidationError):
            shipment.line_ids.product_id = other

    def test_fill_without_goods(self):
        shipment = self.env["aftersales.shipment"].create(
            {"partner_id": self.customer.id, "direction": "hub_to_customer"}
        )
        with self.assertRaises(UserError):
            shipment.action_fill_customs_lines()

    def test_manual_line_defaults_from_product(self):
        rma = self._make_rma("repair")
        shipment = self._make_shipment(rma, "customer_to_hub")
        with (
            Form(shipment.with_user(self.agent)) as form,
            form.line_ids.new() as line,
        ):
            line.product_id = self.product
            self.assertEqual(line.hs_code, "9018.12.00")
            self.assertEqual(line.weight, 0.85)
            self.assertEqual(line.price_unit, 420.0)
            line.origin_country_id = self.env.ref("base.vn")
            line.quantity = 2
        self.assertEqual(shipment.line_ids.origin_country_id.code, "VN")
        self.assertEqual(shipment.declared_value, 840.0)

    def test_lines_follow_company_rules(self):
        other_company = self.env["res.company"].create({"name": "Sinomed Europe B.V."})
        rma = self._make_rma("repair")
        shipment = self._make_shipment(rma, "customer_to_hub")
        shipment.action_fill_customs_lines()
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "customs_outsider",
                "company_id": other_company.id,
                "company_ids": [Command.set(other_company.ids)],
                "groups_id": [
                    Command.link(
                        self.env.ref("aftersales_service.aftersales_group_user").id
                    )
                ],
            }
        )
        self.assertFalse(
            self.env["aftersales.shipment.line"]
            .with_user(outsider)
            .search([("id", "in", shipment.line_ids.ids)])
        )
        with self.assertRaises(AccessError):
            shipment.line_ids.with_user(outsider).read(["hs_code"])

    def test_product_form_shows_customs_data(self):
        """Service users see the HS code and origin of a product; inventory users
        already see them in the Inventory page (stock_delivery)."""
        arch = (
            self.env["product.template"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="aftersales_customs"', arch)
        self.assertIn('name="hs_code"', arch)
        self.assertIn('name="country_of_origin"', arch)
        stock_user = new_test_user(
            self.env,
            login="customs_stock_user",
            groups="aftersales_service.aftersales_group_user,stock.group_stock_user",
        )
        arch = (
            self.env["product.template"]
            .with_user(stock_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="aftersales_customs"', arch)
        self.assertEqual(arch.count('name="hs_code"'), 1)

    def test_fill_lines_is_batched(self):
        """Filling the lines of many shipments costs what filling one does."""
        shipments = self.env["aftersales.shipment"]
        for __ in range(5):
            rma = self._make_rma("repair")
            shipments |= self._make_shipment(rma, "customer_to_hub")

        def count_queries(records):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.action_fill_customs_lines()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        one = count_queries(shipments[0])
        four = count_queries(shipments[1:])
        _logger.info("customs lines: %s queries for 1 shipment, %s for 4", one, four)
        self.assertLessEqual(four, one + 2)
        self.assertEqual(len(shipments.line_ids), 5)
