from odoo import Command

from odoo.addons.aftersales_service.tests.common_warranty import DeliveryCase


class PartRequestCase(DeliveryCase):
    """Source warehouses in Shanghai (central), Hamburg (bonded) and Lagos
    (service), a spare part with a vendor, a covered ticket of a Nigerian
    hospital."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        Warehouse.search([("aftersales_part_source", "=", True)]).write(
            {"aftersales_part_source": False}
        )
        cls.wh_shanghai = cls._source_warehouse(
            "Shanghai Central", "XSH", "base.cn", 12
        )
        cls.wh_hamburg = cls._source_warehouse(
            "Hamburg Bonded", "XHB", "base.de", 5, aftersales_source_kind="bonded"
        )
        cls.wh_lagos = cls._source_warehouse(
            "Lagos Service", "XLO", "base.ng", 1, aftersales_source_kind="service"
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Shenzhen Display Works", "is_company": True}
        )
        cls.part = cls.env["product.product"].create(
            {
                "name": "PM-7 Display Board",
                "type": "consu",
                "is_storable": True,
                "list_price": 500.0,
                "standard_price": 200.0,
                "seller_ids": [
                    Command.create({"partner_id": cls.vendor.id, "price": 180.0})
                ],
            }
        )
        cls.ticket = cls.env["aftersales.ticket"].create(
            {
                "subject": "Screen stays black",
                "partner_id": cls.customer_ng.id,
                "team_id": cls.team_sh.id,
                "user_id": cls.agent.id,
            }
        )
        cls.ticket.warranty_decision = "covered"

    @classmethod
    def _source_warehouse(cls, name, code, country, days, **values):
        partner = cls.env["res.partner"].create(
            {"name": name, "country_id": cls.env.ref(country).id}
        )
        return cls.env["stock.warehouse"].create(
            dict(
                {
                    "name": name,
                    "code": code,
                    "partner_id": partner.id,
                    "aftersales_part_source": True,
                    "aftersales_lead_days": days,
                },
                **values,
            )
        )

    def _stock(self, warehouse, quantity, product=None, owner=None):
        self.env["stock.quant"]._update_available_quantity(
            product or self.part, warehouse.lot_stock_id, quantity, owner_id=owner
        )

    def _request(self, quantity=1, user=None, **values):
        vals = {
            "ticket_id": self.ticket.id,
            "line_ids": [
                Command.create({"product_id": self.part.id, "quantity": quantity})
            ],
        }
        vals.update(values)
        Request = self.env["aftersales.part.request"]
        if user:
            Request = Request.with_user(user)
        return Request.create(vals)

    def _pickings(self, request, warehouse, code):
        return request.with_env(self.env).move_ids.picking_id.filtered(
            lambda p: (
                p.picking_type_id.warehouse_id == warehouse
                and p.picking_type_code == code
            )
        )

    def _done(self, picking):
        self.assertEqual(picking.state, "assigned", picking.name)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def _costs(self, picking):
        """The cost lines a validated transfer recorded."""
        return self.env["aftersales.cost.line"].search(
            [
                ("source_model", "=", "stock.picking"),
                ("source_res_id", "=", picking.id),
            ]
        )
