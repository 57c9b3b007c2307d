from lxml import html

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_customs import CustomsCase

INVOICE = "aftersales_rma.action_report_aftersales_customs_invoice"
PACKING_LIST = "aftersales_rma.action_report_aftersales_packing_list"


@tagged("post_install", "-at_install")
class TestCustomsAccess(CustomsCase):
    """Service users fill and print the customs data of a shipment's transfer
    without inventory rights; users of another company do neither."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot2 = cls.env["stock.lot"].create(
            {"name": "SN-C52-0002", "product_id": cls.product.id}
        )
        cls.package = cls.env["stock.quant.package"].create(
            {"name": "CTN-001", "shipping_weight": 3.5}
        )
        cls.picking = cls._make_picking(cls.lot | cls.lot2, cls.package)
        # the shipper on the documents is the warehouse of the transfer
        cls.picking.picking_type_id.warehouse_id.partner_id = cls.env[
            "res.partner"
        ].create(
            {
                "name": "Sinomed Service Hub",
                "street": "1 Bonded Zone Road",
                "city": "Shanghai",
                "country_id": cls.china.id,
            }
        )
        cls.shipment = cls._make_shipment(
            cls._make_rma("repair"), "hub_to_customer", picking_id=cls.picking.id
        )

    def test_service_user_has_no_inventory_rights(self):
        self.assertFalse(self.agent.has_group("stock.group_stock_user"))
        for model in ("stock.picking", "stock.move"):
            self.assertFalse(
                self.env[model].with_user(self.agent).has_access("read"), model
            )

    def test_service_user_fills_lines_from_transfer(self):
        # access rights are checked when records are read from the database, not
        # from the cache filled by the set-up
        self.env.invalidate_all()
        self.shipment.with_user(self.agent).action_fill_customs_lines()
        lines = self.shipment.line_ids
        self.assertRecordValues(
            lines,
            [
                {"lot_id": self.lot.id, "quantity": 1.0, "create_uid": self.agent.id},
                {"lot_id": self.lot2.id, "quantity": 1.0, "create_uid": self.agent.id},
            ],
        )
        self.assertAlmostEqual(self.shipment.net_weight, 1.7)
        self.assertAlmostEqual(self.shipment.gross_weight, 3.5)
        self.assertEqual(self.shipment.package_count, 1)
        self.assertEqual(self.shipment.declared_value, 840.0)
        # filling again replaces the lines, still as the service user
        self.shipment.with_user(self.agent).action_fill_customs_lines()
        self.assertEqual(len(self.shipment.line_ids), 2)
        self.assertFalse(lines.exists())

    def test_user_of_another_company_cannot_fill(self):
        self.shipment.action_fill_customs_lines()
        lines = self.shipment.line_ids
        other_company = self.env["res.company"].create({"name": "Sinomed Europe B.V."})
        outsider = new_test_user(
            self.env,
            login="customs_outsider",
            groups="aftersales_service.aftersales_group_user,stock.group_stock_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.shipment.with_user(outsider).action_fill_customs_lines()
        self.assertEqual(self.shipment.line_ids, lines)

    def test_service_user_prints_documents_of_transfer(self):
        self.shipment.with_user(self.agent).action_fill_customs_lines()
        self.env.invalidate_all()
        for report_ref, table in (
            (INVOICE, "customs_lines"),
            (PACKING_LIST, "packing_lines"),
        ):
            content, __ = (
                self.env["ir.actions.report"]
                .with_user(self.agent)
                ._render_qweb_html(report_ref, self.shipment.ids)
            )
            doc = html.fromstring(content)
            shipper = doc.xpath("//div[@name='customs_shipper']")[0].text_content()
            self.assertIn("Sinomed Service Hub", shipper, report_ref)
            serials = doc.xpath(f"//table[@name='{table}']/tbody/tr/td[3]")
            self.assertEqual(
                [td.text_content().strip() for td in serials],
                ["SN-C52-0001", "SN-C52-0002"],
                report_ref,
            )
