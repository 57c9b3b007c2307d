import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from .common import PortalNetworkMixin

MIGRATION = (
    Path(__file__).parent.parent / "migrations" / "18.0.1.1.0" / "post-migrate.py"
)


def _migration():
    spec = importlib.util.spec_from_file_location("portal_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestPortalRules(PortalNetworkMixin, TransactionCase):
    """An end customer's documents are found by their stored customer company:
    a colleague's tickets are theirs, no subquery on the partners reads every
    ticket, and the upgrade rewrites the rules of older databases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def test_customer_sees_the_tickets_of_a_colleague(self):
        colleague = self.env["res.partner"].create(
            {"name": "Ward 3 Nurse", "parent_id": self.customer.id}
        )
        ticket = self.env["aftersales.ticket"].create(
            {"subject": "Probe cable cut", "partner_id": colleague.id}
        )
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        Ticket = self.env["aftersales.ticket"].with_user(self.user_customer)
        self.assertIn(ticket, Ticket.search([]))
        self.assertNotIn(ticket, Ticket.with_user(self.user_sibling).search([]))
        # the colleague moves to another company: the ticket goes with them
        colleague.parent_id = self.customer_sibling
        self.assertEqual(ticket.commercial_partner_id, self.customer_sibling)
        self.assertNotIn(ticket, Ticket.search([]))

    def test_customer_query_has_no_partner_subquery(self):
        for model in ("aftersales.ticket", "aftersales.warranty", "aftersales.rma"):
            with self.subTest(model=model):
                query = self.env[model].with_user(self.user_customer)._search([])
                sql = query.select().code
                self.assertIn("commercial_partner_id", sql)
                self.assertNotIn('"partner_id" IN (SELECT', sql)

    def test_upgrade_rewrites_the_customer_leaf_only(self):
        ticket_rule = self.env.ref("aftersales_portal.aftersales_ticket_rule_portal")
        line_rule = self.env.ref("aftersales_portal.aftersales_rma_line_rule_portal")
        old_ticket = (
            "['|', ('partner_id', 'child_of', user.commercial_partner_id.id), "
            "('dealer_path', '=like', user.aftersales_portal_network_path)]"
        )
        # a rule the brand edited: its own extra leaf stays
        old_line = (
            "['&', ('rma_id.state', '!=', 'cancel'), '|', "
            "('rma_id.partner_id', 'child_of', user.commercial_partner_id.id), "
            "('rma_id.dealer_id.aftersales_path', '=like', "
            "user.aftersales_portal_network_path)]"
        )
        ticket_rule.domain_force = old_ticket
        line_rule.domain_force = old_line
        _migration().migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(
            ticket_rule.domain_force,
            "['|', ('commercial_partner_id', '=', user.commercial_partner_id.id), "
            "('dealer_path', '=like', user.aftersales_portal_network_path)]",
        )
        self.assertEqual(
            line_rule.domain_force,
            "['&', ('rma_id.state', '!=', 'cancel'), '|', "
            "('rma_id.commercial_partner_id', '=', user.commercial_partner_id.id), "
            "('rma_id.dealer_id.aftersales_path', '=like', "
            "user.aftersales_portal_network_path)]",
        )
