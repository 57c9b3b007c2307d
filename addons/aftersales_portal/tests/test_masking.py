from odoo.tests import BaseCase

from ..tools import mask_email, mask_phone


class TestMasking(BaseCase):
    """Pure functions: no database."""

    def test_phone(self):
        self.assertEqual(mask_phone("+49 151 23454567"), "+49 151 ****4567")
        self.assertEqual(mask_phone("+4915123454567"), "****4567")
        self.assertEqual(mask_phone("  +86  21 5555 0123 "), "+86 21 ****0123")
        self.assertEqual(mask_phone("123"), "****")
        self.assertFalse(mask_phone(False))

    def test_email(self):
        self.assertEqual(mask_email("anna.schmidt@clinic.de"), "a****@clinic.de")
        self.assertEqual(mask_email("broken"), "****")
        self.assertFalse(mask_email(""))
