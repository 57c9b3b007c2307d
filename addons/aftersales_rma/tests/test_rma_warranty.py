from odoo.tests import tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaWarrantyAgreement(RmaCase):
    """The RMA line decides as the ticket, the serial and ``check_serial``
    (aftersales_service's TestWarrantyApi): one warranty API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.serials = cls._agreement_serials()

    def test_rma_line_ticket_and_check_serial_agree(self):
        Warranty = self.env["aftersales.warranty"]
        with self._at("2026-06-01 10:00:00"):
            rma = self._rma(
                [self._line(lot) for lot, *_ in self.serials.values()],
                partner=self.customer_de,
            )
            for line in rma.line_ids:
                lot = line.lot_id
                _lot, status, decision = self.serials[lot.name]
                with self.subTest(serial=lot.name):
                    ticket = self._claim(lot)
                    self.assertEqual(ticket.warranty_state, status)
                    self.assertEqual(Warranty.check_serial(lot.name)["status"], status)
                    self.assertEqual(lot.aftersales_warranty_status, status)
                    self.assertEqual(line.warranty_decision, decision)
                    self.assertEqual(ticket.warranty_decision, decision)
                    # an RMA of the ticket takes the ticket's decision; a line of
                    # another serial on it decides by that serial's registration
                    other = self.serials[
                        "AGR-EXPIRED-THEN-ACTIVE"
                        if lot.name == "AGR-ACTIVE"
                        else "AGR-ACTIVE"
                    ][0]
                    from_ticket = self._rma(
                        [self._line(lot), self._line(other)], ticket_id=ticket.id
                    )
                    self.assertEqual(
                        from_ticket.line_ids.mapped("warranty_decision"),
                        [decision, "covered"],
                    )

    def test_draft_registration_is_chargeable_on_the_line(self):
        lot = self.serials["AGR-DRAFT"][0]
        with self._at("2026-06-01 10:00:00"):
            line = self._rma([self._line(lot)]).line_ids
        self.assertEqual(lot.aftersales_warranty_ids.state, "draft")
        self.assertEqual(line.warranty_decision, "chargeable")


@tagged("post_install", "-at_install")
class TestRmaCountry(RmaCase):
    def test_contact_without_country_takes_its_company_country(self):
        contact = self.env["res.partner"].create(
            {"name": "Ward 3 (Radiology)", "parent_id": self.customer_de.id}
        )
        contact.country_id = False
        self.assertFalse(contact.country_id)
        de = self.env.ref("base.de")
        lot = self._lot("CTRY-0001")
        registration = self._register(lot, contact)
        ticket = self._claim(lot, contact)
        rma = self._rma([self._line(lot)], partner=contact)
        # ticket, registration and RMA agree on the country, hence on the rules
        self.assertEqual(registration.country_id, de)
        self.assertEqual(ticket.country_id, de)
        self.assertEqual(rma.country_id, de)
        self.assertEqual(rma.template_id, self.tmpl_de)
        self.assertEqual(registration.policy_id, self.rule_eu)
        # the Germany template lists the country: it beats the EU's country group
        # whatever their sequences
        self.assertLess(self.tmpl_eu.sequence, self.tmpl_de.sequence)
