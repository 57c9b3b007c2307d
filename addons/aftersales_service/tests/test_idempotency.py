from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestIdempotencyKey(TransactionCase):
    """The keys themselves; the concurrent requests they protect are tested
    against a running server in tests/test_concurrency.py."""

    def _count(self, scope):
        self.env.cr.execute(
            "SELECT count(*) FROM aftersales_idempotency_key WHERE scope = %s",
            [scope],
        )
        return self.env.cr.fetchone()[0]

    def test_claiming_again_in_one_transaction_is_harmless(self):
        Key = self.env["aftersales.idempotency.key"]
        Key._claim("test.scope", ["a", "b", "a"])
        self.assertEqual(self._count("test.scope"), 2)
        Key._claim("test.scope", ["b", "c"])
        Key._claim("test.scope", [])
        self.assertEqual(self._count("test.scope"), 3)
        # hashed: a Message-Id of any length fits the index
        Key._claim("test.scope", ["<%s@example.com>" % ("x" * 5000)])
        self.assertEqual(self._count("test.scope"), 4)

    def test_ticket_references_are_claimed_per_company(self):
        Ticket = self.env["aftersales.ticket"]
        before = self._count("aftersales.ticket.external_ref")  # demo tickets'
        first = Ticket.create({"subject": "Alarm", "external_ref": "KEY-1"})
        self.assertEqual(self._count("aftersales.ticket.external_ref"), before + 1)
        self.assertEqual(
            Ticket.create({"subject": "Again", "external_ref": "KEY-1"}), first
        )
        other = self.env["res.company"].create({"name": "MedEquip Brasil"})
        second = Ticket.with_company(other).create(
            {"subject": "Brazil", "external_ref": "KEY-1", "company_id": other.id}
        )
        self.assertNotEqual(second, first)
        self.assertEqual(self._count("aftersales.ticket.external_ref"), before + 2)

    def test_old_keys_are_forgotten(self):
        Key = self.env["aftersales.idempotency.key"]
        Key._claim("test.old", ["old"])
        self.env.cr.execute(
            "UPDATE aftersales_idempotency_key SET create_date = %s WHERE scope = %s",
            [fields.Datetime.now() - timedelta(days=2), "test.old"],
        )
        Key._claim("test.old", ["new"])
        Key._gc_old_keys()
        self.assertEqual(self._count("test.old"), 1)
