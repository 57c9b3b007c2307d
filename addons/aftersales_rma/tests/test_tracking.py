from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools.track17_client import parse_track_item
from .tracking_common import TrackingCommon

PROVIDER_LOGGER = "odoo.addons.aftersales_rma.models.aftersales_tracking_provider"
# first cron call on 30 new shipments: register, poll, events (and their claim,
# see aftersales.idempotency.key), statuses, 3 logs
QUERIES_FIRST_POLL = 20


@tagged("post_install", "-at_install")
class TestTrackingPoll(TrackingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_tracking()

    def poll(self):
        return self.env["aftersales.tracking.provider"]._cron_poll_shipments()

    def make_due(self, shipments):
        shipments.sudo()._tracking_write({"tracking_next_poll": fields.Datetime.now()})

    def test_register_and_poll(self):
        self.add_number("DHL0001", estimated_delivery="2026-11-28T18:00:00Z")
        shipment = self.make_shipment("DHL0001")
        self.assertTrue(shipment.tracking_open)
        self.assertEqual(self.poll(), 1)
        self.assertTrue(shipment.tracking_registered)
        self.assertEqual(shipment.status, "in_transit")
        self.assertEqual(len(shipment.event_ids), 2)
        self.assertEqual(
            shipment.event_ids.mapped("status"), ["in_transit", "label_created"]
        )
        self.assertEqual(shipment.estimated_delivery, datetime(2026, 11, 28, 18, 0))
        self.assertEqual(shipment.date_shipped, datetime(2026, 11, 20, 8, 0))
        self.assertFalse(shipment.tracking_error)
        self.assertGreater(shipment.tracking_next_poll, fields.Datetime.now())
        self.assertEqual(self.tracking_server.calls("register"), [["DHL0001"]])
        self.assertEqual(self.tracking_server.calls("gettrackinfo"), [["DHL0001"]])
        # not due any more: the next cron call does nothing
        self.assertEqual(self.poll(), 0)

    def test_poll_again_stores_new_events_once(self):
        self.add_number("DHL0002")
        shipment = self.make_shipment("DHL0002")
        self.poll()
        self.make_due(shipment)
        self.poll()
        self.assertEqual(len(shipment.event_ids), 2, "the same events are stored once")
        self.tracking_server.add_event(
            "DHL0002",
            (
                "2026-11-23T09:00:00Z",
                "Delivered",
                "Delivered_Other",
                "Delivered",
                "Köln",
            ),
            status="Delivered",
        )
        self.make_due(shipment)
        self.poll()
        self.assertEqual(len(shipment.event_ids), 3)
        self.assertEqual(shipment.status, "delivered")
        self.assertEqual(shipment.date_delivered, datetime(2026, 11, 23, 9, 0))
        self.assertFalse(shipment.tracking_open, "delivered legs are not polled")
        self.assertEqual(len(self.tracking_server.calls("register")), 1)

    def test_calls_of_40_numbers(self):
        numbers = [f"BATCH{index:03d}" for index in range(45)]
        for number in numbers:
            self.add_number(number)
        for number in numbers:
            self.make_shipment(number)
        self.assertEqual(self.poll(), 45)
        self.assertEqual(
            [len(call) for call in self.tracking_server.calls("register")], [40, 5]
        )
        self.assertEqual(
            [len(call) for call in self.tracking_server.calls("gettrackinfo")], [40, 5]
        )
        shipments = self.env["aftersales.shipment"].search(
            [("tracking_ref", "in", numbers)]
        )
        self.assertEqual(set(shipments.mapped("status")), {"in_transit"})

    def test_cron_job_reports_progress(self):
        for number in ("CRON001", "CRON002", "CRON003"):
            self.add_number(number)
            self.make_shipment(number)
        unknown = self.make_shipment("CRON404")
        Provider = self.env["aftersales.tracking.provider"]
        # one call handles a batch and tells ir.cron what remains
        self.assertEqual(Provider._cron_poll_shipments(batch_size=2), 2)
        self.assertEqual(
            self.env["aftersales.shipment"].search_count(
                self.env["aftersales.shipment"]._tracking_due_domain()
            ),
            2,
        )
        # the real cron job runs the rest, an unknown number does not stop it
        cron = self.env.ref("aftersales_rma.ir_cron_aftersales_tracking_poll")
        cron.method_direct_trigger()
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (2, 0))
        shipments = self.env["aftersales.shipment"].search(
            [("tracking_ref", "like", "CRON00")]
        )
        self.assertEqual(set(shipments.mapped("status")), {"in_transit"})
        self.assertTrue(unknown.tracking_error)

    def test_events_stored_concurrently_are_kept_once(self):
        self.add_number("RACE001")
        shipment = self.make_shipment("RACE001")
        item = self.tracking_server.track_item("RACE001")
        parsed = parse_track_item(item)
        vals_list = shipment._tracking_new_event_vals({shipment: parsed})
        self.assertEqual(len(vals_list), 2)
        # a push stored the first event between our read and our insert
        self.env["aftersales.shipment.event"].create(dict(vals_list[0]))
        with mute_logger("odoo.sql_db"):
            shipment._tracking_create_events(vals_list)
        self.assertEqual(len(shipment.event_ids), 2)
        self.assertEqual(shipment.status, "in_transit")

    def test_two_legs_with_one_number(self):
        # e.g. the same parcel followed by two companies' legs
        self.add_number("SAME001")
        first = self.make_shipment("SAME001")
        second = self.make_shipment("SAME001", direction="hub_to_repair")
        self.assertEqual(self.poll(), 2)
        self.assertEqual(self.tracking_server.calls("register"), [["SAME001"]])
        self.assertEqual(self.tracking_server.calls("gettrackinfo"), [["SAME001"]])
        for shipment in first | second:
            self.assertEqual(shipment.status, "in_transit")
            self.assertEqual(len(shipment.event_ids), 2)
            self.assertTrue(shipment.tracking_registered)
        self.assertEqual(self.poll(), 0, "nothing stays due")

    def test_unknown_number_is_logged_and_retried(self):
        self.add_number("DHL0003")
        good = self.make_shipment("DHL0003")
        unknown = self.make_shipment("NOSUCH01")
        before = fields.Datetime.now()
        self.assertEqual(self.poll(), 2)
        self.assertEqual(good.status, "in_transit")
        self.assertIn("-18010012", unknown.tracking_error)
        self.assertEqual(unknown.tracking_error_count, 1)
        self.assertTrue(unknown.has_tracking_error)
        self.assertGreaterEqual(
            unknown.tracking_next_poll, before + timedelta(minutes=5)
        )
        self.assertTrue(unknown.tracking_open, "it is retried later")
        # a second failure doubles the wait
        self.make_due(unknown)
        self.poll()
        self.assertEqual(unknown.tracking_error_count, 2)
        self.assertGreaterEqual(
            unknown.tracking_next_poll, before + timedelta(minutes=10)
        )
        # the carrier knows it now: the error is cleared
        self.add_number("NOSUCH01")
        self.make_due(unknown)
        self.poll()
        self.assertFalse(unknown.tracking_error)
        self.assertEqual(unknown.tracking_error_count, 0)
        self.assertEqual(unknown.status, "in_transit")

    def test_unregistered_number_registers_again(self):
        self.add_number("DHL0004")
        shipment = self.make_shipment("DHL0004")
        self.poll()
        self.tracking_server.registered.discard("DHL0004")  # provider forgot it
        self.make_due(shipment)
        self.poll()
        self.assertIn("-18019902", shipment.tracking_error)
        self.assertFalse(shipment.tracking_registered)
        self.make_due(shipment)
        self.poll()
        self.assertTrue(shipment.tracking_registered)
        self.assertFalse(shipment.tracking_error)

    def test_timeout_is_logged_and_no_event_lost(self):
        self.add_number("DHL0005")
        shipment = self.make_shipment("DHL0005")
        self.tracking_server.delay = 1.5  # the provider's timeout is 1 s
        with self.assertLogs(PROVIDER_LOGGER, "WARNING") as logs:
            self.assertEqual(self.poll(), 1)
        self.assertIn("no answer within 1 s", logs.output[0])
        self.assertIn("no answer within 1 s", shipment.tracking_error)
        self.assertIn("no answer", self.provider.last_error)
        self.assertFalse(shipment.event_ids)
        self.tracking_server.delay = 0
        self.make_due(shipment)
        self.poll()
        self.assertEqual(len(shipment.event_ids), 2)
        self.assertFalse(shipment.tracking_error)

    def test_bad_json_is_logged(self):
        self.add_number("DHL0006")
        shipment = self.make_shipment("DHL0006")
        self.tracking_server.bad_json = True
        with self.assertLogs(PROVIDER_LOGGER, "WARNING"):
            self.poll()
        self.assertIn("not JSON", shipment.tracking_error)
        self.assertEqual(shipment.status, "draft")
        self.tracking_server.bad_json = False
        self.make_due(shipment)
        self.poll()
        self.assertEqual(shipment.status, "in_transit")

    def test_wrong_api_key_is_logged(self):
        self.add_number("DHL0007")
        shipment = self.make_shipment("DHL0007")
        self.provider.api_key = "wrong"
        with self.assertLogs(PROVIDER_LOGGER, "WARNING"):
            self.poll()
        self.provider.api_key = "test-17token"
        self.assertIn("HTTP 401", shipment.tracking_error)

    def test_rate_limit_pauses_the_provider(self):
        numbers = [f"RATE{index:03d}" for index in range(45)]
        for number in numbers:
            self.add_number(number)
            self.make_shipment(number)
        self.tracking_server.rate_limit(count=1, retry_after=120)
        before = fields.Datetime.now()
        with self.assertLogs(PROVIDER_LOGGER, "WARNING") as logs:
            self.assertEqual(self.poll(), 45)
        self.assertIn("rate limited", logs.output[0])
        self.assertEqual(len(self.tracking_server.requests_log), 1, "no call after 429")
        until = self.provider.rate_limited_until
        self.assertGreaterEqual(until, before + timedelta(seconds=119))
        shipments = self.env["aftersales.shipment"].search(
            [("tracking_ref", "in", numbers)]
        )
        limited = shipments.filtered("tracking_error")
        self.assertEqual(len(limited), 40, "the refused call is logged on its legs")
        self.assertIn("rate limited", limited[0].tracking_error)
        self.assertEqual(set(limited.mapped("tracking_next_poll")), {until})
        # paused: the cron does not call the provider
        self.assertEqual(self.poll(), 0)
        self.assertEqual(len(self.tracking_server.requests_log), 1)
        # after Retry-After everything is polled, nothing lost
        self.provider.rate_limited_until = before - timedelta(seconds=1)
        self.make_due(shipments)
        self.assertEqual(self.poll(), 45)
        self.assertEqual(set(shipments.mapped("status")), {"in_transit"})
        self.assertFalse(shipments.filtered("tracking_error"))
        self.assertEqual(len(shipments.event_ids), 90)

    def test_status_posted_on_rma_and_ticket(self):
        self.add_number("DHL0008")
        shipment = self.make_shipment("DHL0008")
        self.poll()
        for record in (shipment, self.rma, self.ticket):
            bodies = record.message_ids.mapped("body")
            self.assertTrue(
                any("DHL0008" in body and "In Transit" in body for body in bodies),
                f"status change posted on {record}",
            )

    def _customer_messages(self, shipment):
        return shipment.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and m.message_type == "comment"
        )

    def test_customs_hold_and_delivered_notify_the_customer(self):
        events = [
            (
                "2026-11-20T08:00:00Z",
                "InTransit",
                "InTransit_PickedUp",
                "Picked up",
                "",
            ),
            (
                "2026-11-22T08:00:00Z",
                "InTransit",
                "InTransit_CustomsRequiringInformation",
                "Held by customs: invoice needed",
                "Frankfurt",
            ),
        ]
        self.add_number("DHL0009", events)
        shipment = self.make_shipment("DHL0009", direction="hub_to_customer")
        self.poll()
        self.assertEqual(shipment.status, "customs_hold")
        messages = self._customer_messages(shipment)
        self.assertEqual(len(messages), 1)
        self.assertIn("held by customs", messages.subject)
        self.assertTrue(
            self.env["mail.notification"].search(
                [
                    ("mail_message_id", "=", messages.id),
                    ("res_partner_id", "=", self.customer.id),
                ]
            )
        )
        self.tracking_server.add_event(
            "DHL0009",
            (
                "2026-11-23T08:00:00Z",
                "InTransit",
                "InTransit_CustomsReleased",
                "Released",
                "",
            ),
        )
        self.tracking_server.add_event(
            "DHL0009",
            ("2026-11-24T08:00:00Z", "Delivered", None, "Delivered", "Köln"),
        )
        self.make_due(shipment)
        self.poll()
        self.assertEqual(shipment.status, "delivered")
        messages = self._customer_messages(shipment)
        self.assertEqual(len(messages), 2)
        self.assertIn("delivered", messages[0].subject)

    def test_internal_leg_does_not_notify(self):
        events = [("2026-11-24T08:00:00Z", "Delivered", None, "Delivered", "Shenzhen")]
        self.add_number("DHL0010", events)
        shipment = self.make_shipment("DHL0010", direction="hub_to_repair")
        self.poll()
        self.assertEqual(shipment.status, "delivered")
        self.assertFalse(self._customer_messages(shipment))

    def test_manual_provider_events_set_the_status(self):
        shipment = self.make_shipment("MAN001", provider_id=self.manual_provider.id)
        self.assertFalse(shipment.tracking_open)
        self.poll()
        self.assertFalse(self.tracking_server.requests_log)
        self.env["aftersales.shipment.event"].with_user(self.agent).create(
            {
                "shipment_id": shipment.id,
                "date": "2026-11-25 10:00:00",
                "status": "customs_hold",
                "description": "Held in Dubai",
            }
        )
        self.assertEqual(shipment.status, "customs_hold")
        self.assertEqual(len(self._customer_messages(shipment)), 1)

    def test_refresh_button(self):
        self.add_number("DHL0011")
        shipment = self.make_shipment("DHL0011")
        shipment.with_user(self.agent).action_tracking_refresh()
        self.assertEqual(shipment.status, "in_transit")

    def test_create_for_pickings_takes_the_tracking_ref(self):
        self.add_number("PICK0001")
        partner = self.customer
        picking_type = self.env.ref("stock.picking_type_in")
        picking = self.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": picking_type.id,
                "carrier_tracking_ref": "PICK0001",
                "aftersales_rma_id": self.rma.id,
            }
        )
        shipment = self.env["aftersales.shipment"]._create_for_pickings(
            picking, "customer_to_hub"
        )
        self.assertEqual(shipment.tracking_ref, "PICK0001")
        self.assertEqual(shipment.provider_id, self.provider)
        self.assertEqual(shipment.rma_id, self.rma)
        self.poll()
        self.assertEqual(shipment.status, "in_transit")
        # the carrier gives a new number later: the leg follows it
        self.add_number("PICK0002")
        picking.carrier_tracking_ref = "PICK0002"  # e.g. the carrier's label
        self.assertEqual(shipment.tracking_ref, "PICK0002")
        self.assertFalse(shipment.tracking_registered)
        self.poll()
        self.assertTrue(shipment.tracking_registered)
        self.assertEqual(self.tracking_server.calls("register")[-1], ["PICK0002"])


@tagged("post_install", "-at_install")
class TestTrackingQueries(TrackingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_tracking()

    def _cycle_queries(self, count, prefix):
        numbers = [f"{prefix}{index:03d}" for index in range(count)]
        for number in numbers:
            self.add_number(number)
        # one RMA and ticket per shipment: the messages on RMAs and tickets are
        # part of what must not grow
        shipments = self.env["aftersales.shipment"]
        for number in numbers:
            ticket = self.env["aftersales.ticket"].create(
                {"subject": f"Fault {number}", "partner_id": self.customer.id}
            )
            rma = self.rma.copy({"ticket_id": ticket.id})
            shipments |= self.make_shipment(number, rma_id=rma.id)
        self.env.cr.flush()  # the tickets' pending stage emails
        self.env.invalidate_all()
        Provider = self.env["aftersales.tracking.provider"]
        start = self.cr.sql_log_count
        # two calls: register + first poll (events, status change, messages),
        # then a poll with nothing new
        Provider._cron_poll_shipments()
        self.env.flush_all()
        first = self.cr.sql_log_count - start
        shipments.sudo()._tracking_write({"tracking_next_poll": fields.Datetime.now()})
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        Provider._cron_poll_shipments()
        self.env.flush_all()
        second = self.cr.sql_log_count - start
        self.assertEqual(set(shipments.mapped("status")), {"in_transit"})
        self.assertEqual(len(shipments.event_ids), 2 * count)
        return first, second

    def test_cron_queries_do_not_grow_per_shipment(self):
        self._cycle_queries(2, "WARM")  # caches, sequences, templates
        few = self._cycle_queries(3, "FEW")
        many = self._cycle_queries(30, "MANY")
        self.assertEqual(few, many, "queries per cron call (first poll, second poll)")

    def test_cron_query_count(self):
        self._cycle_queries(2, "WARM")
        numbers = [f"QC{index:03d}" for index in range(30)]
        for number in numbers:
            self.add_number(number)
            ticket = self.env["aftersales.ticket"].create(
                {"subject": f"Fault {number}", "partner_id": self.customer.id}
            )
            rma = self.rma.copy({"ticket_id": ticket.id})
            self.make_shipment(number, rma_id=rma.id)
        self.env.cr.flush()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES_FIRST_POLL):
            self.env["aftersales.tracking.provider"]._cron_poll_shipments()
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestTrackingAccess(TrackingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_tracking()
        cls.company_b = cls.env["res.company"].create({"name": "Overseas Hub B"})
        cls.agent_b = new_test_user(
            cls.env,
            login="ship_agent_b",
            groups=cls.group_user,
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.portal = new_test_user(
            cls.env, login="ship_portal", groups="base.group_portal"
        )

    def test_company_and_portal_access(self):
        self.add_number("ACC001")
        shipment = self.make_shipment("ACC001")
        self.env["aftersales.tracking.provider"]._cron_poll_shipments()
        event = shipment.event_ids[0]
        self.assertEqual(
            shipment.with_user(self.agent).read(["status"])[0]["status"], "in_transit"
        )
        self.assertTrue(event.with_user(self.agent).read(["description"]))
        self.assertFalse(
            self.env["aftersales.shipment"]
            .with_user(self.agent_b)
            .search([("id", "=", shipment.id)])
        )
        with self.assertRaises(AccessError):
            shipment.with_user(self.agent_b).read(["status"])
        with self.assertRaises(AccessError):
            event.with_user(self.agent_b).read(["description"])
        for user in (self.portal, self.env.ref("base.public_user")):
            with self.assertRaises(AccessError):
                shipment.with_user(user).read(["status"])
            with self.assertRaises(AccessError):
                event.with_user(user).read(["description"])
            with self.assertRaises(AccessError):
                self.provider.with_user(user).read(["name"])

    def test_api_key_is_for_system_users(self):
        self.assertFalse(
            "api_key" in self.provider.with_user(self.agent).fields_get(["api_key"])
        )
