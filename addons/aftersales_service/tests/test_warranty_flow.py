from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common_warranty import DeliveryCase, WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyFromDelivery(DeliveryCase):
    def _registrations(self, lots):
        return self.env["aftersales.warranty"].search([("lot_id", "in", lots.ids)])

    @freeze_time("2026-03-10 10:00:00")
    def test_delivery_registers_serial(self):
        lots = self._stock_serials(["USX200-D001", "USX200-D002"])
        order = self._sale(
            self.customer_de, [(self.product_us200, 1)], dealer=self.dealer_hh
        )
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_code, "outgoing")
        # the operator scans the second serial, not the one reserved first
        self.assertEqual(picking.move_line_ids.lot_id, lots[0])
        self._deliver(picking, lots[1])
        warranty = self._registrations(lots)
        self.assertEqual(warranty.lot_id, lots[1])
        self.assertRecordValues(
            warranty,
            [
                {
                    "partner_id": self.customer_de.id,
                    "dealer_id": self.dealer_hh.id,
                    "distributor_id": self.distributor_eu.id,
                    "sale_order_id": order.id,
                    "picking_id": picking.id,
                    "delivery_date": date(2026, 3, 10),
                    "registration_date": date(2026, 3, 10),
                    "purchase_date": date(2026, 3, 10),
                    "source": "delivery",
                    "state": "active",
                    "company_id": self.company.id,
                    "policy_id": self.rule_eu.id,
                    "date_start": date(2026, 3, 10),
                    "date_end": date(2028, 3, 9),
                }
            ],
        )
        self.assertEqual(lots[1].aftersales_warranty_state, "active")
        self.assertFalse(lots[0].aftersales_warranty_id)
        self.assertEqual(
            self.env["aftersales.warranty"].check_serial("USX200-D002")["status"], "in"
        )

    @freeze_time("2026-03-10 10:00:00")
    def test_dealer_customer_is_its_own_dealer(self):
        lot = self._stock_serials(["USX200-D010"])
        order = self._sale(self.dealer_hh, [(self.product_us200, 1)])
        self._deliver(order.picking_ids, lot)
        warranty = self._registrations(lot)
        self.assertEqual(warranty.partner_id, self.dealer_hh)
        self.assertEqual(warranty.dealer_id, self.dealer_hh)
        self.assertEqual(warranty.distributor_id, self.distributor_eu)

    def test_redelivery_updates_registration(self):
        lot = self._stock_serials(["USX200-D020"])
        with freeze_time("2026-03-10 10:00:00"):
            first = self._sale(
                self.customer_de, [(self.product_us200, 1)], dealer=self.dealer_hh
            )
            self._deliver(first.picking_ids, lot)
        warranty = self._registrations(lot)
        self.assertEqual(warranty.delivery_date, date(2026, 3, 10))
        with freeze_time("2026-03-20 10:00:00"):
            self._return(first.picking_ids, lot)
        self.assertEqual(self._registrations(lot), warranty, "a return changes nothing")
        with freeze_time("2026-04-15 10:00:00"):
            second = self._sale(self.customer_ae, [(self.product_us200, 1)])
            self._deliver(second.picking_ids, lot)
        self.assertEqual(self._registrations(lot), warranty, "no second registration")
        self.assertRecordValues(
            warranty,
            [
                {
                    "partner_id": self.customer_ae.id,
                    "country_id": self.env.ref("base.ae").id,
                    "dealer_id": False,
                    "distributor_id": False,
                    "sale_order_id": second.id,
                    "picking_id": second.picking_ids.id,
                    "delivery_date": date(2026, 4, 15),
                    "state": "active",
                    "policy_id": self.rule_world.id,
                    "date_end": date(2027, 4, 14),
                }
            ],
        )

    @freeze_time("2026-03-10 10:00:00")
    def test_batch_delivery_registers_each_serial(self):
        lots = self._stock_serials(["USX200-B001", "USX200-B002", "USX200-B003"])
        order = self._sale(
            self.customer_ng, [(self.product_us200, 3)], dealer=self.dealer_hh
        )
        picking = order.picking_ids
        self._deliver(picking, picking.move_line_ids.lot_id.sorted("name"))
        warranties = self._registrations(lots)
        self.assertEqual(len(warranties), 3)
        self.assertEqual(warranties.lot_id, lots)
        self.assertEqual(set(warranties.mapped("sale_order_id")), {order})
        self.assertEqual(set(warranties.mapped("partner_id")), {self.customer_ng})
        self.assertEqual(set(warranties.mapped("delivery_date")), {date(2026, 3, 10)})
        self.assertEqual(set(warranties.mapped("policy_id")), {self.rule_world})

    @freeze_time("2026-03-10 10:00:00")
    def test_delivery_without_sale_order_registers_nothing(self):
        lot = self._stock_serials(["USX200-D030"])
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer_de.id,
                "location_id": self.stock_location.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "USX-200",
                            "product_id": self.product_us200.id,
                            "product_uom_qty": 1,
                            "location_id": self.stock_location.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self._deliver(picking, lot)
        self.assertFalse(self._registrations(lot))


@tagged("post_install", "-at_install")
class TestWarrantyExtension(DeliveryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._lot("USX200-X001")
        cls.warranty = cls._register(cls.lot)  # 2026-01-31 to 2028-01-30
        cls.extension_product = cls.env["product.product"].create(
            {
                "name": "Extended Warranty +12 months",
                "type": "service",
                "aftersales_is_warranty_extension": True,
                "aftersales_extension_months": 12,
            }
        )

    def test_sold_extension_extends_end(self):
        order = self._sale(self.customer_de, [(self.extension_product, 1, self.lot)])
        line = order.order_line
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.warranty.date_end, date(2029, 1, 30))
        self.assertEqual(self.warranty.extension_months, 12)
        extension = self.warranty.extension_ids
        self.assertRecordValues(extension, [{"months": 12, "sale_line_id": line.id}])
        self.assertTrue(
            any(
                order.name in body and "2029-01-30" in body
                for body in self.warranty.message_ids.mapped("body")
            ),
            "the chatter tells the new end date",
        )
        # coverage is left alone
        self.assertEqual(
            (self.warranty.parts_coverage, self.warranty.labour_coverage), (100, 100)
        )

    def test_extension_applies_once(self):
        order = self._sale(self.customer_de, [(self.extension_product, 1, self.lot)])
        order.order_line._aftersales_apply_warranty_extensions()
        self.assertEqual(self.warranty.date_end, date(2029, 1, 30))
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(len(self.warranty.extension_ids), 1)
        self.assertEqual(self.warranty.date_end, date(2029, 1, 30))
        # a second order extends again
        self._sale(self.customer_de, [(self.extension_product, 2, self.lot)])
        self.assertEqual(self.warranty.extension_ids.mapped("months"), [12, 24])
        self.assertEqual(self.warranty.date_end, date(2031, 1, 30))

    def test_extension_needs_serial(self):
        with self.assertRaisesRegex(UserError, "Choose the serial number"):
            self._sale(self.customer_de, [(self.extension_product, 1)])
        self.assertFalse(self.warranty.extension_ids)

    def test_extension_needs_live_registration(self):
        unregistered = self._lot("USX200-X002")
        with self.assertRaisesRegex(UserError, "USX200-X002 has no live warranty"):
            self._sale(self.customer_de, [(self.extension_product, 1, unregistered)])
        self.warranty.action_void("Wrong serial")
        with self.assertRaisesRegex(UserError, "USX200-X001 has no live warranty"):
            self._sale(self.customer_de, [(self.extension_product, 1, self.lot)])
        self.assertFalse(self.warranty.extension_ids)

    def test_extension_changes_coverage(self):
        self.extension_product.write(
            {
                "aftersales_extension_change_coverage": True,
                "aftersales_extension_parts_coverage": 80.0,
                "aftersales_extension_labour_coverage": 50.0,
            }
        )
        self.rule_eu.travel_coverage = 30.0
        self._sale(self.customer_de, [(self.extension_product, 1, self.lot)])
        self.assertEqual(self.warranty.parts_coverage, 80.0)
        self.assertEqual(self.warranty.labour_coverage, 50.0)
        self.assertEqual(self.warranty.travel_coverage, 30.0)
        result = self.env["aftersales.warranty"].check_serial(
            "USX200-X001", "2028-06-01"
        )
        self.assertEqual(result["status"], "in")
        self.assertEqual(result["coverage"]["parts"], 80.0)

    def test_extension_product_needs_months(self):
        with self.assertRaises(ValidationError):
            self.extension_product.aftersales_extension_months = 0


@tagged("post_install", "-at_install")
class TestTicketWarranty(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._lot("USX200-T001")
        cls.warranty = cls._register(
            cls.lot
        )  # 2026-01-31 to 2028-01-30, Klinikum Hamburg

    def test_lot_finds_registration_dealer_and_distributor(self):
        with self._at("2026-06-01 09:00:00"):
            ticket = self._claim(self.lot)
        self.assertRecordValues(
            ticket,
            [
                {
                    "warranty_id": self.warranty.id,
                    "warranty_state": "in",
                    "warranty_end": date(2028, 1, 30),
                    "dealer_id": self.dealer_hh.id,
                    "distributor_id": self.distributor_eu.id,
                    "warranty_decision": "covered",
                    "warranty_suspicious": False,
                }
            ],
        )
        self.assertIn("2028-01-30", ticket.warranty_decision_reason)
        # a ticket without a serial has no warranty answer
        with self._at("2026-06-01 09:00:00"):
            plain = self._claim(self.env["stock.lot"], product_id=False)
        self.assertFalse(plain.warranty_state)
        self.assertFalse(plain.warranty_decision)
        self.assertFalse(plain.warranty_suspicious)

    def test_agent_picks_serial(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.agent_de)
        found = self.env["stock.lot"].with_user(self.agent_de).name_search("USX200-T00")
        self.assertEqual([lot_id for lot_id, _name in found], self.lot.ids)
        with self._at("2026-06-01 09:00:00"):
            ticket = Ticket.create(
                {
                    "subject": "No image",
                    "partner_id": self.customer_de.id,
                    "lot_id": found[0][0],
                }
            )
        self.assertEqual(ticket.warranty_state, "in")
        self.assertEqual(ticket.warranty_end, date(2028, 1, 30))
        self.assertEqual(ticket.dealer_id, self.dealer_hh)

    def test_lot_set_later(self):
        with self._at("2026-06-01 09:00:00"):
            ticket = self._claim(self.env["stock.lot"])
            self.assertFalse(ticket.warranty_id)
            ticket.lot_id = self.lot
        self.assertEqual(ticket.warranty_id, self.warranty)
        self.assertEqual(ticket.warranty_state, "in")
        self.assertEqual(ticket.dealer_id, self.dealer_hh)

    def test_partial_decision(self):
        self.rule_eu.deductible_amount = 90.0
        with self._at("2026-06-01 09:00:00"):
            ticket = self._claim(self.lot)
        self.assertEqual(ticket.warranty_decision, "partial")
        self.assertIn("90", ticket.warranty_decision_reason)
        self.rule_eu.write({"deductible_amount": 0.0, "labour_coverage": 50.0})
        self.assertEqual(ticket.warranty_decision, "partial")
        self.rule_eu.labour_coverage = 100.0
        self.assertEqual(ticket.warranty_decision, "covered")

    def test_chargeable_when_expired_or_unknown(self):
        with self._at("2028-02-01 09:00:00"):
            expired = self._claim(self.lot)
            unknown = self._claim(self._lot("USX200-T404"))
        self.assertEqual(expired.warranty_state, "expired")
        self.assertEqual(expired.warranty_decision, "chargeable")
        self.assertEqual(unknown.warranty_state, "unknown")
        self.assertEqual(unknown.warranty_decision, "chargeable")

    def test_ticket_keeps_claim_date_status_after_expiry(self):
        with self._at("2027-12-20 09:00:00"):
            ticket = self._claim(self.lot)
        self.assertEqual(ticket.warranty_decision, "covered")
        with freeze_time("2028-02-01 02:00:00"):
            self.env["aftersales.warranty"]._cron_expire()
        self.assertEqual(self.warranty.state, "expired")
        self.assertEqual(ticket.warranty_state, "in")
        self.assertEqual(ticket.warranty_decision, "covered")

    def test_override_needs_note(self):
        with self._at("2028-02-01 09:00:00"):
            ticket = self._claim(self.lot)
        self.assertEqual(ticket.warranty_decision, "chargeable")
        with self.assertRaisesRegex(ValidationError, "override note"):
            ticket.warranty_decision = "covered"
        with self.assertRaises(ValidationError):
            ticket.write(
                {"warranty_decision": "covered", "warranty_override_note": "  "}
            )
        self.assertEqual(ticket.warranty_decision, "chargeable")
        ticket.write(
            {
                "warranty_decision": "covered",
                "warranty_override_note": "Goodwill: failure two days after expiry",
            }
        )
        self.assertEqual(ticket.warranty_decision, "covered")
        self.assertEqual(
            ticket.warranty_override_note, "Goodwill: failure two days after expiry"
        )
        # the note cannot go while the decision differs; back to the suggestion it can
        with self.assertRaises(ValidationError):
            ticket.warranty_override_note = False
        ticket.write(
            {"warranty_decision": "chargeable", "warranty_override_note": False}
        )
        self.assertEqual(ticket.warranty_decision, "chargeable")

    def test_suspicious_unknown_serial(self):
        with self._at("2026-06-01 09:00:00"):
            ticket = self._claim(self._lot("USX200-T404"))
        self.assertTrue(ticket.warranty_suspicious)
        self.assertEqual(
            ticket.warranty_suspicion, "The serial number has no warranty registration."
        )

    def test_suspicious_other_customer(self):
        other_de = self.env["res.partner"].create(
            {"name": "Praxis Dr. Weber", "country_id": self.env.ref("base.de").id}
        )
        with self._at("2026-06-01 09:00:00"):
            ticket = self._claim(self.lot, other_de)
            # a contact of the owner is the owner
            contact = self.env["res.partner"].create(
                {
                    "name": "Dr. Jansen",
                    "parent_id": self.customer_de.id,
                    "type": "contact",
                }
            )
            own = self._claim(self._register(self._lot("USX200-T005")).lot_id, contact)
        self.assertTrue(ticket.warranty_suspicious)
        self.assertEqual(
            ticket.warranty_suspicion,
            "The serial was sold to Klinikum Hamburg, not to this customer.",
        )
        self.assertFalse(own.warranty_suspicion)

    def test_suspicious_other_country(self):
        with self._at("2026-06-01 09:00:00"):
            ticket = self._claim(self.lot, country_id=self.env.ref("base.ae").id)
        self.assertTrue(ticket.warranty_suspicious)
        self.assertEqual(
            ticket.warranty_suspicion,
            "The serial was sold into Germany, not into the customer's country.",
        )

    def test_suspicious_after_expiry(self):
        with self._at("2028-01-30 09:00:00"):
            last_day = self._claim(self.lot)
        with self._at("2028-01-31 09:00:00"):
            late = self._claim(self.lot)
        self.assertFalse(last_day.warranty_suspicious)
        self.assertTrue(late.warranty_suspicious)
        self.assertIn("after the warranty expired", late.warranty_suspicion)

    def test_suspicious_repeat_claim(self):
        self.assertEqual(self.company.aftersales_repeat_claim_days, 30)
        with self._at("2026-06-01 09:00:00"):
            first = self._claim(self.lot)
        with self._at("2026-06-20 09:00:00"):
            second = self._claim(self.lot)
        with self._at("2026-07-21 09:00:00"):
            third = self._claim(self.lot)
        self.assertFalse(first.warranty_suspicious)
        self.assertTrue(second.warranty_suspicious)
        self.assertEqual(
            second.warranty_suspicion,
            f"Another claim on this serial was made within 30 days: {first.name}.",
        )
        self.assertFalse(third.warranty_suspicious, "31 days after the second claim")
        # another serial of the same customer is not a repeat claim
        with self._at("2026-06-21 09:00:00"):
            other = self._claim(self._lot("USX200-T002"))
        self.assertNotIn("Another claim", other.warranty_suspicion or "")
        # no window, no repeat claims
        self.company.aftersales_repeat_claim_days = 0
        with self._at("2026-07-22 09:00:00"):
            fourth = self._claim(self.lot)
        self.assertFalse(fourth.warranty_suspicious)

    def test_suspicious_repeat_claim_in_one_batch(self):
        """The suspicion is computed before the insert: two claims on a serial
        created in one batch, the second is the repeat claim, and both are
        written by their insert alone."""
        vals = {
            "subject": "Probe gives no image",
            "partner_id": self.customer_de.id,
            "team_id": self.team_de.id,
            "lot_id": self.lot.id,
            "product_id": self.lot.product_id.id,
        }
        with self._at("2026-06-01 09:00:00"):
            first, second = self.env["aftersales.ticket"].create(
                [vals, {**vals, "subject": "Probe still gives no image"}]
            )
        self.assertFalse(first.warranty_suspicious)
        self.assertTrue(second.warranty_suspicious)
        self.assertEqual(
            second.warranty_suspicion,
            f"Another claim on this serial was made within 30 days: {first.name}.",
        )
        # stored as computed: the values read back from the database
        self.env.invalidate_all()
        self.assertEqual((first | second).mapped("warranty_suspicious"), [False, True])

    def test_suspicious_registration_after_fault_reported(self):
        lot = self._lot("USX200-T003")
        with self._at("2026-06-01 09:00:00"):
            ticket = self._claim(lot)
        self.assertEqual(ticket.warranty_state, "unknown")
        with self._at("2026-06-03 09:00:00"):
            warranty = self._register(
                lot,
                source="customer",
                state="draft",
                registration_date=date(2026, 6, 3),
            )
        self.assertEqual(ticket.warranty_id, warranty)
        self.assertTrue(ticket.warranty_suspicious)
        self.assertEqual(
            ticket.warranty_suspicion,
            "The warranty was registered after the fault was reported.",
        )
        # registered on the day of the claim: fine
        lot_ok = self._lot("USX200-T004")
        self._register(lot_ok, registration_date=date(2026, 6, 1))
        with self._at("2026-06-01 09:00:00"):
            in_time = self._claim(lot_ok)
        self.assertFalse(in_time.warranty_suspicious)
