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
