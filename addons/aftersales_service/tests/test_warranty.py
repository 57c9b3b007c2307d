import base64
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyRegistration(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._lot("USX200-0001")
        cls.warranty = cls._register(cls.lot)

    def _notes(self, warranty):
        return warranty.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        ).mapped("body")

    def test_registration_values(self):
        warranty = self.warranty
        self.assertEqual(warranty.product_id, self.product_us200)
        self.assertEqual(warranty.country_id, self.env.ref("base.de"))
        self.assertEqual(warranty.policy_id, self.rule_eu)
        self.assertEqual(warranty.distributor_id, self.distributor_eu)
        self.assertEqual(warranty.dealer_path, self.dealer_hh.aftersales_path)
        self.assertEqual(
            (warranty.date_start, warranty.date_end),
            (date(2026, 1, 31), date(2028, 1, 30)),
        )
        self.assertEqual(warranty.state, "active")
        self.assertEqual(
            warranty.display_name, "USX200-0001 ([USX-200] Portable Ultrasound Scanner)"
        )
        self.assertEqual(self.lot.aftersales_warranty_id, warranty)
        self.assertEqual(self.lot.aftersales_warranty_end, date(2028, 1, 30))

    def test_one_live_registration_per_serial(self):
        with self.assertRaisesRegex(
            ValidationError, "USX200-0001 already has a warranty"
        ):
            self._register(self.lot, self.customer_ae)
        self.warranty.state = "draft"
        with self.assertRaises(ValidationError):
            self._register(self.lot, self.customer_ae, state="draft")
        # an expired registration does not block a new one
        self.warranty.state = "expired"
        renewed = self._register(self.lot, self.customer_ae)
        self.assertEqual(renewed.state, "active")
        # nor can the old one come back to life next to it
        with self.assertRaises(ValidationError):
            self.warranty.state = "active"

    def test_database_refuses_second_live_registration(self):
        self.env.flush_all()
        insert = """
            INSERT INTO aftersales_warranty
                   (company_id, lot_id, product_id, registration_date, state, source)
            VALUES (%s, %s, %s, '2026-02-03', %s, 'api')
        """
        params = (self.company.id, self.lot.id, self.product_us200.id)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(insert, params + ("active",))
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(insert, params + ("draft",))
        # the index is partial: history rows of the serial are fine
        with self.env.cr.savepoint():
            self.env.cr.execute(insert, params + ("void",))
            self.env.cr.execute(insert, params + ("expired",))
        self.env.cr.execute(
            "SELECT state, count(*) FROM aftersales_warranty"
            " WHERE lot_id = %s GROUP BY state",
            (self.lot.id,),
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()), {"active": 1, "void": 1, "expired": 1}
        )

    def test_product_not_tracked_by_serial_refused(self):
        batch_product = self._serial_product(
            "Gel, box of 12", "GEL-12", self.categ_medical, tracking="lot"
        )
        lot = self._lot("GEL-2026-01", batch_product)
        with self.assertRaisesRegex(ValidationError, "not tracked by serial number"):
            self._register(lot)

    def test_activate_needs_proof_for_dealer_and_customer(self):
        for index, source in enumerate(("dealer", "customer")):
            with self.subTest(source=source):
                warranty = self._register(
                    self._lot(f"USX200-P{index}"), state="draft", source=source
                )
                with self.assertRaisesRegex(UserError, "proof of purchase"):
                    warranty.action_activate()
                self.assertEqual(warranty.state, "draft")
                warranty.proof_attachment_ids = [
                    Command.create(
                        {
                            "name": "invoice.pdf",
                            "datas": base64.b64encode(b"%PDF-1.4 invoice"),
                        }
                    )
                ]
                warranty.action_activate()
                self.assertEqual(warranty.state, "active")
                with self.assertRaises(UserError):
                    warranty.action_activate()
        # registrations from systems need no attachment
        api = self._register(self._lot("USX200-P9"), state="draft", source="api")
        api.action_activate()
        self.assertEqual(api.state, "active")

    def test_void_needs_reason_and_frees_serial(self):
        Void = self.env["aftersales.warranty.void"].with_user(self.manager)
        warranty = self.warranty.with_user(self.manager)
        for reason in ("", "   ", False):
            with (
                self.subTest(reason=reason),
                self.assertRaisesRegex(UserError, "reason"),
            ):
                warranty.action_void(reason)
        self.assertEqual(warranty.state, "active")
        action = warranty.action_open_void_wizard()
        wizard = Void.with_context(**action["context"]).create(
            {"reason": "Unit stolen from the clinic, police report 4711"}
        )
        self.assertEqual(wizard.warranty_id, self.warranty)
        wizard.action_confirm()
        self.assertEqual(self.warranty.state, "void")
        self.assertEqual(
            self.warranty.void_reason, "Unit stolen from the clinic, police report 4711"
        )
        self.assertTrue(
            any("police report 4711" in body for body in self._notes(self.warranty)),
            "the reason is noted in the chatter",
        )
        with self.assertRaisesRegex(UserError, "already void"):
            warranty.action_void("Twice")
        # the serial can be registered again
        again = self._register(self.lot, self.customer_ae)
        self.assertEqual(again.state, "active")
        self.assertEqual(self.lot.aftersales_warranty_id, again)

    def test_transfer_only_when_rule_allows(self):
        Transfer = self.env["aftersales.warranty.transfer"].with_user(self.agent_de)
        wizard = Transfer.create(
            {
                "warranty_id": self.warranty.id,
                "partner_id": self.customer_ng.id,
                "note": "Sold on",
            }
        )
        with self.assertRaisesRegex(UserError, "does not allow transferring"):
            wizard.action_confirm()
        self.assertEqual(self.warranty.partner_id, self.customer_de)
        self.rule_eu.transferable = True
        buyer = self.env["res.partner"].create(
            {"name": "Praxis Dr. Weber", "country_id": self.env.ref("base.at").id}
        )
        wizard = Transfer.create(
            {
                "warranty_id": self.warranty.id,
                "partner_id": buyer.id,
                "note": "Clinic sold the unit",
            }
        )
        wizard.action_confirm()
        self.assertEqual(self.warranty.partner_id, buyer)
        self.assertEqual(self.warranty.country_id, self.env.ref("base.at"))
        self.assertEqual(self.warranty.date_end, date(2028, 1, 30))
        self.assertTrue(
            any(
                "Klinikum Hamburg" in body
                and "Praxis Dr. Weber" in body
                and "Clinic sold" in body
                for body in self._notes(self.warranty)
            ),
            "the transfer is noted in the chatter",
        )
        with self.assertRaisesRegex(UserError, "already belongs"):
            self.warranty.action_transfer(buyer)
        self.warranty.with_user(self.manager).action_void("Returned")
        with self.assertRaisesRegex(UserError, "live warranty"):
            self.warranty.action_transfer(self.customer_de)

    def test_cron_expires_past_end_date(self):
        draft = self._register(self._lot("USX200-0002"), state="draft")
        voided = self._register(self._lot("USX200-0003"))
        voided.action_void("Registered by mistake")
        self.assertEqual(self.warranty.date_end, date(2028, 1, 30))
        with freeze_time("2028-01-30 12:00:00"):
            expired = self.env["aftersales.warranty"]._cron_expire()
            self.assertNotIn(self.warranty, expired)
            self.assertEqual(self.warranty.state, "active")
        with freeze_time("2028-01-31 12:00:00"):
            cron = self.env.ref("aftersales_service.ir_cron_aftersales_warranty_expire")
            cron.method_direct_trigger()
            self.assertEqual(self.warranty.state, "expired")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(voided.state, "void")
        # the serial is free for a new registration once expired
        self.assertEqual(self._register(self.lot, self.customer_ae).state, "active")


@tagged("post_install", "-at_install")
class TestCheckSerial(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_eu.write(
            {
                "deductible_amount": 150.0,
                "parts_coverage": 100.0,
                "labour_coverage": 80.0,
            }
        )
        cls.lot = cls._lot("USX200-0001")
        cls.warranty = cls._register(cls.lot)  # 2026-01-31 to 2028-01-30
        cls.Warranty = cls.env["aftersales.warranty"]

    def test_in_warranty(self):
        result = self.Warranty.check_serial("USX200-0001", "2026-06-01")
        self.assertEqual(
            result,
            {
                "serial": "USX200-0001",
                "status": "in",
                "product": "[USX-200] Portable Ultrasound Scanner",
                "date_start": "2026-01-31",
                "date_end": "2028-01-30",
                "coverage": {
                    "parts": 100.0,
                    "labour": 80.0,
                    "travel": 0.0,
                    "deductible": 150.0,
                    "currency": "EUR",
                },
                "policy": "EU 24 months",
                "dealer": "Elbe MedTech Hamburg GmbH",
            },
        )
        self.assertEqual(
            self.Warranty.check_serial("USX200-0001", "2028-01-30")["status"], "in"
        )
        self.assertEqual(
            self.Warranty.check_serial("USX200-0001", date(2026, 1, 31))["status"], "in"
        )
        self.assertEqual(
            self.Warranty.check_serial("  USX200-0001 ", "2026-06-01")["status"], "in"
        )

    def test_default_date_is_today(self):
        with freeze_time("2026-01-30 12:00:00"):
            self.assertEqual(self.Warranty.check_serial("USX200-0001")["status"], "out")
        with freeze_time("2027-05-01 12:00:00"):
            self.assertEqual(self.Warranty.check_serial("USX200-0001")["status"], "in")
        with freeze_time("2028-02-01 12:00:00"):
            self.assertEqual(
                self.Warranty.check_serial("USX200-0001")["status"], "expired"
            )

    def test_out_before_start_pending_awaiting_proof(self):
        self.assertEqual(
            self.Warranty.check_serial("USX200-0001", "2026-01-30")["status"], "out"
        )
        # awaiting proof: the registration counts, as "pending proof" (not "in")
        self.warranty.state = "draft"
        result = self.Warranty.check_serial("USX200-0001", "2026-06-01")
        self.assertEqual(result["status"], "pending")
        self.assertEqual(result["date_end"], "2028-01-30")
        self.assertEqual(
            self.Warranty.check_serial("USX200-0001", "2026-01-30")["status"], "out"
        )

    def test_expired_after_end(self):
        result = self.Warranty.check_serial("USX200-0001", "2028-01-31")
        self.assertEqual(result["status"], "expired")
        self.assertEqual(result["coverage"]["currency"], "EUR")
        self.warranty.state = "draft"
        self.assertEqual(
            self.Warranty.check_serial("USX200-0001", "2028-01-31")["status"], "expired"
        )

    def test_expired_by_cron_still_answers_for_past_dates(self):
        with freeze_time("2028-02-15 12:00:00"):
            self.Warranty._cron_expire()
        self.assertEqual(self.warranty.state, "expired")
        self.assertEqual(
            self.Warranty.check_serial("USX200-0001", "2026-06-01")["status"], "in"
        )
        self.assertEqual(
            self.Warranty.check_serial("USX200-0001", "2028-02-15")["status"], "expired"
        )

    def test_void(self):
        self.warranty.action_void("Duplicate of a dealer registration")
        result = self.Warranty.check_serial("USX200-0001", "2026-06-01")
        self.assertEqual(result["status"], "void")
        self.assertEqual(result["product"], "[USX-200] Portable Ultrasound Scanner")
        # a new registration of the serial answers instead of the void one
        self._register(self.lot, self.customer_ae, dealer_id=False)
        result = self.Warranty.check_serial("USX200-0001", "2026-06-01")
        self.assertEqual(result["status"], "in")
        self.assertEqual(result["policy"], "Worldwide 12 months")
        self.assertFalse(result["dealer"])

    def test_unknown_never_raises(self):
        self._lot("USX200-0099")  # a serial nobody registered
        unknown = {
            "status": "unknown",
            "product": False,
            "date_start": False,
            "date_end": False,
            "coverage": False,
            "policy": False,
            "dealer": False,
        }
        for serial in (
            "NO-SUCH-SERIAL",
            "USX200-0099",
            "",
            "   ",
            None,
            42,
            "us200-0001",
        ):
            with self.subTest(serial=serial):
                result = self.Warranty.check_serial(serial, "2026-06-01")
                # the serial is echoed when it is a string; never a None
                echo = serial if isinstance(serial, str) else False
                self.assertEqual(result, dict(unknown, serial=echo))

    def test_service_user_and_other_company(self):
        result = self.Warranty.with_user(self.agent).check_serial(
            "USX200-0001", "2026-06-01"
        )
        self.assertEqual(result["status"], "in")
        self.assertEqual(result["coverage"]["deductible"], 150.0)
        company_b = self.env["res.company"].create({"name": "Aftersales Asia"})
        user_b = new_test_user(
            self.env,
            login="as_agent_asia",
            groups="aftersales_service.aftersales_group_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        result = self.Warranty.with_user(user_b).check_serial(
            "USX200-0001", "2026-06-01"
        )
        self.assertEqual(result["status"], "unknown")
        self.assertFalse(result["coverage"])
        # a user without the service group may not ask
        stock_user = new_test_user(
            self.env, login="as_stock_only", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.Warranty.with_user(stock_user).check_serial("USX200-0001")


@tagged("post_install", "-at_install")
class TestWarrantyAccess(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Aftersales Asia"})
        product_b = cls._serial_product(
            "Asia Scanner", "AS-1", cls.categ_ultrasound, company_id=cls.company_b.id
        )
        cls.rule_b = cls.env["aftersales.warranty.policy"].create(
            {
                "name": "Asia 18 months",
                "duration_months": 18,
                "company_id": cls.company_b.id,
            }
        )
        cls.warranty_b = cls._register(
            cls._lot("AS1-0001", product_b),
            cls.customer_ae,
            dealer_id=False,
            company_id=cls.company_b.id,
        )
        cls.warranty_a = cls._register(cls._lot("USX200-0001"))

    def test_company_separation(self):
        self.assertEqual(self.warranty_b.policy_id, self.rule_b)
        Warranty = self.env["aftersales.warranty"].with_user(self.agent)
        Policy = self.env["aftersales.warranty.policy"].with_user(self.agent)
        # every registration and rule of company A (demo data included), none of B
        self.assertEqual(
            Warranty.search([]),
            self.env["aftersales.warranty"].search(
                [("company_id", "=", self.company.id)]
            ),
        )
        self.assertIn(self.warranty_a, Warranty.search([]))
        self.assertFalse(Warranty.search([("lot_id.name", "=", "AS1-0001")]))
        self.assertEqual(Policy.search([]), self.rule_eu | self.rule_world)
        self.assertFalse(
            Policy.with_context(active_test=False).search([]) & self.rule_b
        )
        with self.assertRaises(AccessError):
            Warranty.browse(self.warranty_b.id).read(["state"])
        with self.assertRaises(AccessError):
            Policy.browse(self.rule_b.id).read(["name"])
        self.assertEqual(self.warranty_a.with_user(self.agent).state, "active")

    def test_user_cannot_manage_rules(self):
        Policy = self.env["aftersales.warranty.policy"].with_user(self.agent)
        with self.assertRaises(AccessError):
            Policy.create({"name": "Agent's own rule", "duration_months": 60})
        with self.assertRaises(AccessError):
            self.rule_eu.with_user(self.agent).write({"duration_months": 60})
        with self.assertRaises(AccessError):
            self.rule_eu.with_user(self.agent).unlink()
        # a manager can
        self.rule_eu.with_user(self.manager).duration_months = 36
        self.assertEqual(self.warranty_a.date_end, date(2029, 1, 30))

    def test_user_cannot_void(self):
        warranty = self.warranty_a.with_user(self.agent)
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.void"].with_user(self.agent).create(
                {"warranty_id": warranty.id, "reason": "Customer asked"}
            )
        with self.assertRaises(AccessError):
            warranty.action_void("Customer asked")
        self.assertEqual(self.warranty_a.state, "active")
        # the agent may still register serials and transfer warranties
        lot = self._lot("USX200-0002")
        registration = (
            self.env["aftersales.warranty"]
            .with_user(self.agent)
            .create(
                {
                    "lot_id": lot.id,
                    "partner_id": self.customer_de.id,
                    "source": "customer",
                    "state": "draft",
                }
            )
        )
        self.assertEqual(registration.policy_id, self.rule_eu)
