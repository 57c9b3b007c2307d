from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTicketTour(HttpCase):
    def test_create_ticket_in_the_browser(self):
        customer = self.env["res.partner"].create(
            {"name": "Tour Klinikum", "email": "service@tour-klinikum.example"}
        )
        self.start_tour("/odoo", "aftersales_ticket_tour", login="admin")
        ticket = self.env["aftersales.ticket"].search(
            [("subject", "=", "Tour: probe shows no image")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, customer)
        self.assertTrue(ticket.name.startswith("SV"))
        self.assertTrue(ticket.resolution_deadline)
