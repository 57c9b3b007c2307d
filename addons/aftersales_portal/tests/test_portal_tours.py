from odoo.tests import HttpCase, tagged

from .common import PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalTours(PortalNetworkMixin, HttpCase):
    """The portal in headless Chromium (static/tests/tours)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def test_dealer_files_ticket_for_new_customer_with_photo(self):
        self.start_tour(
            "/my/tickets", "aftersales_portal_dealer_ticket", login="p_staff"
        )
        ticket = self.env["aftersales.ticket"].search(
            [("subject", "=", "Tour: display stays black")]
        )
        self.assertEqual(ticket.partner_id.name, "Tour Vet Clinic")
        self.assertEqual(ticket.dealer_id, self.dealer)
        self.assertIn(
            "fault.png",
            self.env["ir.attachment"]
            .search([("res_model", "=", ticket._name), ("res_id", "=", ticket.id)])
            .mapped("name"),
        )

    def test_customer_registers_warranty(self):
        self.env["stock.lot"].create(
            {"name": "PS-TOUR-1", "product_id": self.product.id}
        )
        self.start_tour(
            "/my/warranties", "aftersales_portal_register_warranty", login="p_customer"
        )
        registration = self.env["aftersales.warranty"].search(
            [("lot_id.name", "=", "PS-TOUR-1")]
        )
        self.assertEqual(registration.partner_id, self.user_customer.partner_id)

    def test_dealer_sees_rma_tracking(self):
        self.start_tour("/my/rmas", "aftersales_portal_rma_tracking", login="p_staff")

    def test_public_warranty_check(self):
        self.start_tour("/warranty", "aftersales_portal_public_warranty")

    def test_dealer_admin_invites_staff(self):
        self.start_tour(
            "/my/staff", "aftersales_portal_staff_invite", login="p_dealer_admin"
        )
        self.assertTrue(
            self.env["res.users"].search(
                [("login", "=", "tour.staff@elbe.example.com")]
            )
        )

    def test_ticket_form_checks_serial_and_suggests_articles(self):
        template = self.product.product_tmpl_id
        self.env["aftersales.warranty.policy"].create(
            {
                "name": "Scanner 24 months, half the labour",
                "product_tmpl_id": template.id,
                "duration_months": 24,
                "start_basis": "registration",
                "labour_coverage": 50.0,
            }
        )
        lot = self.env["stock.lot"].create(
            {"name": "PS-FORM-1", "product_id": self.product.id}
        )
        self.env["aftersales.warranty"].create(
            {"lot_id": lot.id, "partner_id": self.customer.id}
        )
        self.env["aftersales.article"].create(
            [
                {
                    "name": name,
                    "audience": audience,
                    "published": True,
                    "product_tmpl_ids": [(6, 0, template.ids)],
                }
                for name, audience in (
                    ("Calibrating the probe", "dealers"),
                    ("Cleaning the screen", "customers"),
                )
            ]
        )
        self.start_tour(
            "/my/tickets/new", "aftersales_portal_ticket_form_help", login="p_staff"
        )
