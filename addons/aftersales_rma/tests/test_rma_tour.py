from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRmaTour(HttpCase):
    """A service manager turns a ticket into an RMA in the browser and requests
    the return of the goods."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        # one template for Germany, approved by a manager (no auto-approval):
        # the tour's steps do not depend on the database's templates
        cls.env["aftersales.rma.template"].search([]).active = False
        cls.template = cls.env["aftersales.rma.template"].create(
            {
                "name": "Tour Germany",
                "country_ids": [Command.set(cls.env.ref("base.de").ids)],
                "warehouse_id": cls.warehouse.id,
                "max_ship_days": 14,
                "auto_approve": False,
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="rma_tour_manager",
            password="rma_tour_manager",
            groups="aftersales_service.aftersales_group_manager",
            name="Tour Service Manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Klinikum Köln",
                "email": "technik@tour-klinikum.example",
                "country_id": cls.env.ref("base.de").id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Ultrasound Probe",
                "default_code": "TOUR-PRB",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 4200.0,
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "TOUR-SN-0001", "product_id": cls.product.id}
        )
        cls.ticket = cls.env["aftersales.ticket"].create(
            {
                "subject": "Tour: probe cracked",
                "partner_id": cls.customer.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "user_id": cls.manager.id,
            }
        )

    def test_rma_from_ticket_in_the_browser(self):
        self.start_tour(
            f"/odoo/action-aftersales_service.aftersales_ticket_action/{self.ticket.id}",
            "aftersales_rma_tour",
            login="rma_tour_manager",
        )
        rma = self.ticket.rma_ids
        self.assertEqual(len(rma), 1)
        self.assertEqual(rma.state, "awaiting_receipt")
        self.assertEqual(rma.partner_id, self.customer)
        self.assertEqual(rma.template_id, self.template)
        self.assertEqual(rma.approved_by_id, self.manager)
        self.assertEqual(rma.line_ids.lot_id, self.lot)
        receipt = rma.picking_ids.filtered(lambda p: p.aftersales_rma_kind == "receipt")
        self.assertEqual(len(receipt), 1)
        self.assertNotIn(receipt.state, ("draft", "cancel", "done"))
        self.assertEqual(
            receipt.location_dest_id, self.warehouse.aftersales_rma_location_id
        )
        self.assertEqual(receipt.move_ids.product_id, self.product)
        shipment = rma.shipment_ids.filtered(lambda s: s.direction == "customer_to_hub")
        self.assertEqual(len(shipment), 1)
        self.assertEqual(shipment.picking_id, receipt)
        self.assertEqual(rma.picking_count, 1)
        self.assertEqual(rma.shipment_count, 1)
