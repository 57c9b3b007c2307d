import xmlrpc.client
from datetime import date
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tests.common import Transport

from ..models import aftersales_warranty
from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyApi(WarrantyCase):
    """One warranty rule: the ticket, the serial number and ``check_serial`` give
    the same registration, status and decision (the RMA line: aftersales_rma's
    TestRmaWarrantyAgreement)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Warranty = cls.env["aftersales.warranty"]
        cls.serials = cls._agreement_serials()

    def test_ticket_serial_and_check_serial_agree(self):
        lots = self.env["stock.lot"].union(*(lot for lot, *_ in self.serials.values()))
        counting = self.Warranty._counting_for_lots(lots)
        with self._at("2026-06-01 10:00:00"):
            for name, (lot, status, decision) in self.serials.items():
                with self.subTest(serial=name):
                    warranty = counting.get(lot.id, self.Warranty)
                    self.assertEqual(bool(warranty), status != "unknown")
                    ticket = self._claim(lot)
                    answer = self.Warranty.check_serial(name)
                    self.assertEqual(ticket.warranty_id, warranty)
                    self.assertEqual(lot.aftersales_warranty_id, warranty)
                    self.assertEqual(warranty._status_on(date(2026, 6, 1)), status)
                    self.assertEqual(ticket.warranty_state, status)
                    self.assertEqual(lot.aftersales_warranty_status, status)
                    self.assertEqual(answer["status"], status)
                    self.assertEqual(
                        answer["date_end"], fields.Date.to_string(warranty.date_end)
                    )
                    self.assertEqual(ticket.warranty_decision, decision)
                    self.assertEqual(warranty._decision_for(status)[0], decision)
                    self.assertTrue(ticket.warranty_decision_reason)

    def test_draft_registration_counts_as_pending_proof(self):
        lot = self.serials["AGR-DRAFT"][0]
        draft = lot.aftersales_warranty_ids
        self.assertEqual(draft.state, "draft")
        with self._at("2026-06-01 10:00:00"):
            ticket = self._claim(lot)
        self.assertEqual(ticket.warranty_id, draft)
        self.assertEqual(ticket.warranty_state, "pending")
        self.assertEqual(ticket.warranty_decision, "chargeable")
        self.assertIn("proof of purchase", ticket.warranty_decision_reason)
        self.assertEqual(
            ticket.search([("warranty_state", "=", "pending")]), ticket, "searchable"
        )
        # once the proof is accepted, the claim of the same day is covered
        draft.source = "api"
        draft.action_activate()
        self.assertEqual(ticket.warranty_state, "in")
        self.assertEqual(ticket.warranty_decision, "covered")

    def test_counting_for_lots_is_one_query(self):
        lots = self.env["stock.lot"].union(*(lot for lot, *_ in self.serials.values()))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            counting = self.Warranty._counting_for_lots(lots)
            for warranty in counting.values():
                warranty._status_on(date(2026, 6, 1))
        self.assertEqual(len(counting), len(lots) - 1)  # AGR-NONE has none


@tagged("post_install", "-at_install")
class TestWarrantyVoidAccess(WarrantyCase):
    """Voiding is a manager's act whatever the path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warranty = cls._register(cls._lot("VOID-0001"))

    def test_engineer_cannot_void_by_write_create_or_import(self):
        warranty = self.warranty.with_user(self.agent)
        with self.assertRaisesRegex(AccessError, "Only after-sales managers"):
            warranty.write({"state": "void"})
        with self.assertRaisesRegex(AccessError, "Only after-sales managers"):
            warranty.state = "void"
            warranty.flush_recordset()
        self.assertEqual(self.warranty.state, "active")
        with self.assertRaisesRegex(AccessError, "Only after-sales managers"):
            self.env["aftersales.warranty"].with_user(self.agent).create(
                {
                    "lot_id": self._lot("VOID-0002").id,
                    "partner_id": self.customer_de.id,
                    "state": "void",
                }
            )
        # Odoo's import (the list view's Import, load() over RPC)
        result = (
            self.env["aftersales.warranty"]
            .with_user(self.agent)
            .load([".id", "state"], [[str(self.warranty.id), "void"]])
        )
        self.assertFalse(result["ids"])
        self.assertIn("Only after-sales managers", result["messages"][0]["message"])
        self.assertEqual(self.warranty.state, "active")
        # other changes of state stay open to engineers
        warranty.write({"state": "draft"})
        self.assertEqual(self.warranty.state, "draft")

    def test_manager_voids_by_write(self):
        self.warranty.with_user(self.manager).write({"state": "void"})
        self.assertEqual(self.warranty.state, "void")


@tagged("post_install", "-at_install")
class TestWarrantyExpiryCron(WarrantyCase):
    def test_cron_reports_what_remains(self):
        for index in range(3):
            self._register(
                self._lot(f"EXP-{index}"),
                delivery_date=date(2023, 1, 10),
                registration_date=date(2023, 1, 12),
            )
        self._register(self._lot("EXP-LIVE"))  # ends 2028-01-30
        self.env["aftersales.warranty"].search(
            [("lot_id.name", "not like", "EXP-%"), ("state", "=", "active")]
        ).write({"state": "expired"})  # demo registrations out of the count
        cron = self.env.ref("aftersales_service.ir_cron_aftersales_warranty_expire")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Warranty = self.env["aftersales.warranty"].with_context(
            ir_cron_progress_id=progress.id
        )
        with (
            freeze_time("2026-06-01 10:00:00"),
            patch.object(aftersales_warranty, "EXPIRE_BATCH_SIZE", 2),
        ):
            self.assertEqual(len(Warranty._cron_expire()), 2)
            self.assertEqual((progress.done, progress.remaining), (2, 1))
            self.assertEqual(len(Warranty._cron_expire()), 1)
            self.assertEqual((progress.done, progress.remaining), (1, 0))


@tagged("post_install", "-at_install")
class TestCheckSerialOverRpc(HttpCase):
    """``check_serial`` answers every bad input with ``unknown`` over XML-RPC (a
    plain dict XML-RPC can marshal), not with a server error."""

    def test_bad_input_answers_unknown(self):
        user = new_test_user(
            self.env,
            login="as_rpc_bot",
            password="as_rpc_bot_pw1",
            groups="aftersales_service.aftersales_group_user",
        )
        product = self.env["product.product"].create(
            {
                "name": "RPC Scanner",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        lot = self.env["stock.lot"].create(
            {"name": "RPC-0001", "product_id": product.id}
        )
        self.env["aftersales.warranty"].create(
            {
                "lot_id": lot.id,
                "partner_id": user.partner_id.id,
                "delivery_date": "2026-01-31",
                "policy_id": self.env["aftersales.warranty.policy"]
                .create({"name": "RPC 10 years", "duration_months": 120})
                .id,
            }
        )

        # a client that sends None (<nil/>), as Python's with allow_none
        proxy = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )

        def call(*args):
            return proxy.execute_kw(
                self.env.cr.dbname,
                user.id,
                "as_rpc_bot_pw1",
                "aftersales.warranty",
                "check_serial",
                list(args),
            )

        self.assertEqual(call("RPC-0001", "2026-06-01")["status"], "in")
        for args in (
            [None],
            [""],
            ["   "],
            [42],
            [["RPC-0001"]],
            [{"serial": "RPC-0001"}],
            ["RPC-0001", "not a date"],
            ["RPC-0001", "2026-02-30"],
            ["RPC-0001", 20260601],
            ["RPC-0001", ["2026-06-01"]],
        ):
            with self.subTest(args=args):
                answer = call(*args)
                self.assertEqual(answer["status"], "unknown")
                self.assertFalse(answer["coverage"])
                self.assertNotIn(None, answer.values())
        self.assertFalse(call(None)["serial"])
        self.assertEqual(call("RPC-0001", False)["status"], "in")  # today


@tagged("post_install", "-at_install")
class TestMatchingCountries(WarrantyCase):
    """The same treatment of countries in the SLA policies and warranty rules: a
    listed country beats a country group, the company's country stands in for a
    contact without its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.de = cls.env.ref("base.de")
        cls.customer_fr = cls.env["res.partner"].create(
            {"name": "CHU de Lyon", "country_id": cls.env.ref("base.fr").id}
        )

    def test_listed_country_beats_country_group(self):
        europe = self.env.ref("base.europe")
        germany = self.env["aftersales.warranty.policy"].create(
            {
                "name": "Germany 36 months",
                "duration_months": 36,
                "sequence": 50,
                "country_ids": [Command.set(self.de.ids)],
            }
        )
        found = self.env["aftersales.warranty.policy"]._find(
            self.company, self.product_us200, self.de
        )
        self.assertEqual(found, germany)  # not rule_eu (group, sequence 10)
        sla_eu = self.env["aftersales.sla.policy"].create(
            {
                "name": "EU",
                "sequence": 1,
                "country_group_ids": [Command.set(europe.ids)],
            }
        )
        sla_de = self.env["aftersales.sla.policy"].create(
            {"name": "DE", "sequence": 50, "country_ids": [Command.set(self.de.ids)]}
        )
        contact = self.env["res.partner"].create(
            {"name": "Ward 3", "parent_id": self.customer_de.id}
        )
        contact.country_id = False
        self.assertFalse(contact.country_id)
        ticket_de = self._claim(self._lot("MATCH-1"), contact)
        self.assertEqual(ticket_de.country_id, self.de)
        self.assertEqual(ticket_de.sla_policy_id, sla_de)
        ticket_fr = self._claim(self._lot("MATCH-2"), self.customer_fr)
        self.assertEqual(ticket_fr.sla_policy_id, sla_eu)
        registration = self._register(self._lot("MATCH-3"), contact)
        self.assertEqual(registration.country_id, self.de)
        self.assertEqual(registration.policy_id, germany)
