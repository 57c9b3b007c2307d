from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class CustomsCase(TransactionCase):
    """A Shanghai manufacturer, a German hospital and a serial-tracked probe."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.china = cls.env.ref("base.cn")
        cls.germany = cls.env.ref("base.de")
        cls.company.write(
            {
                "name": "Sinomed Devices Co., Ltd.",
                "street": "88 Zhangjiang Road",
                "city": "Shanghai",
                "zip": "201203",
                "country_id": cls.china.id,
                "vat": "91310115MA1K4XYZ8Q",
                "phone": "+86 21 5080 1234",
            }
        )
        cls.currency = cls.company.currency_id
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Klinikum Nord GmbH",
                "is_company": True,
                "street": "Langenhorner Chaussee 560",
                "city": "Hamburg",
                "zip": "22419",
                "country_id": cls.germany.id,
                "vat": "DE811191002",
                "lang": "en_US",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Ultrasound Probe C5-2",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "weight": 0.85,
                "standard_price": 420.0,
                "list_price": 980.0,
                "hs_code": "9018.12.00",
                "country_of_origin": cls.china.id,
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "SN-C52-0001", "product_id": cls.product.id}
        )
        cls.agent = new_test_user(
            cls.env,
            login="customs_agent",
            groups="aftersales_service.aftersales_group_user",
            name="Agent Chen",
        )

    @classmethod
    def _make_rma(cls, disposition="repair", warranty_decision="covered", lot=None):
        return cls.env["aftersales.rma"].create(
            {
                "partner_id": cls.customer.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "lot_id": (lot or cls.lot).id,
                            "quantity": 1.0,
                            "disposition": disposition,
                            "warranty_decision": warranty_decision,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _make_shipment(cls, rma, direction, **vals):
        return cls.env["aftersales.shipment"].create(
            {
                "rma_id": rma.id,
                "partner_id": rma.partner_id.id,
                "direction": direction,
                **vals,
            }
        )

    @classmethod
    def _make_picking(cls, lots, package=None):
        """A delivery to the customer of the given serials, reserved (one move
        line per serial), in ``package`` when given."""
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        for lot in lots:
            cls.env["stock.quant"]._update_available_quantity(
                cls.product, warehouse.lot_stock_id, 1.0, lot_id=lot
            )
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": cls.customer.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": len(lots),
                            "product_uom": cls.product.uom_id.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": cls.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        if package:
            picking.move_line_ids.result_package_id = package
        return picking
