from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import BaseCase, freeze_time, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..tools.dealer_points import (
    claim_rules,
    due_points,
    registration_rules,
    signed_points,
    ticket_rules,
)
from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestDealerPointsTool(BaseCase):
    def test_rules(self):
        self.assertEqual(ticket_rules(7, "met", 5.0), ["sla_met", "five_star"])
        self.assertEqual(ticket_rules(7, "failed", 4.0), [])
        self.assertEqual(ticket_rules(7, "met", 0.0), ["sla_met"])
        self.assertEqual(ticket_rules(False, "met", 5.0), [], "no dealer, no points")
        self.assertEqual(registration_rules(7, 30), ["registration_on_time"])
        self.assertEqual(registration_rules(7, 30, late=True), [])
        self.assertEqual(registration_rules(7, 0), [], "a rule without a window")
        self.assertEqual(registration_rules(7, 30, void=True), [])
        self.assertEqual(
            claim_rules(7, "rejected", True), ["claim_rejected", "claim_suspicious"]
        )
        self.assertEqual(claim_rules(7, "approved", False), [])
        self.assertEqual(claim_rules(7, "draft", True), [], "a draft is not submitted")

    def test_signed_points(self):
        self.assertEqual(signed_points("sla_met", 10), 10)
        self.assertEqual(signed_points("claim_rejected", 20), -20)
        self.assertEqual(signed_points("claim_rejected", -20), -20)
        self.assertEqual(signed_points("five_star", None), 0)

    def test_due_points_once_per_source(self):
        day = date(2026, 4, 6)
        rates = {"sla_met": 10, "five_star": 5, "claim_rejected": 20}
        events = [
            (7, "sla_met", "aftersales.ticket", 1, day),
            (7, "five_star", "aftersales.ticket", 1, day),
            (7, "sla_met", "aftersales.ticket", 1, day),  # twice in the batch
            (7, "sla_met", "aftersales.ticket", 2, day),  # already booked
            (8, "claim_rejected", "aftersales.claim", 1, day),
            (8, "registration_on_time", "aftersales.warranty", 3, day),  # 0: off
        ]
        earned = {(7, "sla_met", "aftersales.ticket", 2)}
        self.assertEqual(
            due_points(events, rates, earned),
            [
                (7, "sla_met", "aftersales.ticket", 1, day, 10),
                (7, "five_star", "aftersales.ticket", 1, day, 5),
                (8, "claim_rejected", "aftersales.claim", 1, day, -20),
            ],
        )
        self.assertEqual(due_points([], rates), [])


@tagged("post_install", "-at_install")
class TestDealerPoints(WarrantyCase):
    """The cron books the points of known tickets and registrations once; the
    ledger per role and company; the balance on the partner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_points_sla_met": 10,
                "aftersales_points_five_star": 5,
                "aftersales_points_registration": 2,
            }
        )
        cls.rule_eu.write({"registration_window_days": 30, "fallback_months": 12})
        cls.dealer_late = cls.env["res.partner"].create(
            {
                "name": "Late Dealer Bremen",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.distributor_eu.id,
            }
        )
        cls.Points = cls.env["aftersales.dealer.points"]
        # the demo dealers' lines and sources are not the tests' business
        cls.Points.search([]).unlink()
        cls.env.flush_all()
        for model in cls.Points._points_source_models():
            cls.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = %s",
                    SQL.identifier(cls.env[model]._table),
                    datetime(2000, 1, 1),
                )
            )

    def _book(self):
        return self.Points._book_points(datetime(2001, 1, 1))

    def _tickets(self):
        Ticket = self.env["aftersales.ticket"]
        with freeze_time("2026-04-06 08:00:00"):
            tickets = Ticket.create(
                [
                    {
                        "subject": f"T{i}",
                        "partner_id": self.customer_de.id,
                        "dealer_id": dealer.id,
                    }
                    for i, dealer in enumerate([self.dealer_hh, self.dealer_late])
                ]
            )
        with freeze_time("2026-04-06 09:00:00"):
            tickets[0].stage_id = self.stage_closed  # in time: met
        with freeze_time("2026-04-28 09:00:00"):
            tickets[1].stage_id = self.stage_closed  # weeks later: failed
        for ticket, rate in zip(tickets, (5, 2), strict=True):
            ticket.rating_apply(rate, token=ticket._rating_get_access_token())
        return tickets

    def _registrations(self):
        on_time = self._register(
            self._lot("US200-PTS-1"),
            delivery_date=date(2026, 3, 1),
            registration_date=date(2026, 3, 10),
        )
        late = self._register(
            self._lot("US200-PTS-2"),
            dealer_id=self.dealer_late.id,
            delivery_date=date(2026, 1, 1),
            registration_date=date(2026, 3, 10),
        )
        self.assertFalse(on_time.late_registration)
        self.assertTrue(late.late_registration)
        return on_time, late

    def test_points_from_known_inputs(self):
        tickets = self._tickets()
        on_time, _late = self._registrations()
        lines = self._book()
        booked = sorted(
            (line.dealer_id.id, line.rule, line.res_model, line.res_id, line.points)
            for line in lines
        )
        hh, ticket_id = self.dealer_hh.id, tickets[0].id
        self.assertEqual(
            booked,
            sorted(
                [
                    (hh, "sla_met", "aftersales.ticket", ticket_id, 10),
                    (hh, "five_star", "aftersales.ticket", ticket_id, 5),
                    (hh, "registration_on_time", "aftersales.warranty", on_time.id, 2),
                ]
            ),
        )
        sla_line = lines.filtered(lambda line: line.rule == "sla_met")
        self.assertEqual(sla_line.date, date(2026, 4, 6), "the day it closed")
        self.assertEqual(sla_line.source_ref, tickets[0])
        self.assertEqual(sla_line.company_id, self.company)
        self.assertEqual(sla_line.dealer_path, self.dealer_hh.aftersales_path)
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 17)
        self.assertEqual(self.dealer_late.aftersales_points_balance, 0)
        # run twice: nothing booked twice
        self.assertFalse(self._book())
        self.assertEqual(self.Points.search_count([]), 3)
        # a rule set to 0 is off; a new 5-star rating of the late dealer counts
        self.company.aftersales_points_sla_met = 0
        tickets[1].rating_apply(5, token=tickets[1]._rating_get_access_token())
        again = self._book()
        self.assertEqual(again.mapped("rule"), ["five_star"])
        self.assertEqual(again.dealer_id, self.dealer_late)

    def test_source_earns_a_rule_once(self):
        tickets = self._tickets()
        self._book()
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Points.create(
                {
                    "dealer_id": self.dealer_hh.id,
                    "rule": "sla_met",
                    "res_model": "aftersales.ticket",
                    "res_id": tickets[0].id,
                    "points": 10,
                }
            )
            self.env.flush_all()

    def _count_booking(self):
        """(lines booked, queries) of a booking run from an empty ledger."""
        self.Points.search([]).unlink()
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        lines = self.Points._cron_book_points()  # the sources of the last 30 days
        self.env.flush_all()
        return len(lines), self.env.cr.sql_log_count - start

    def _rated_tickets(self, count):
        tickets = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Rated {i}",
                    "partner_id": self.customer_de.id,
                    "dealer_id": (self.dealer_hh, self.dealer_late)[i % 2].id,
                }
                for i in range(count)
            ]
        )
        for ticket in tickets:
            ticket.rating_apply(5, token=ticket._rating_get_access_token())

    def test_booking_queries_do_not_grow_with_sources(self):
        self._rated_tickets(2)
        few, few_queries = self._count_booking()
        self._rated_tickets(6)
        many, many_queries = self._count_booking()
        self.assertEqual((few, many), (2, 8))
        # the same searches and one create, whatever the number of sources
        self.assertLessEqual(many_queries, few_queries)

    def test_access_per_role_and_company(self):
        self._tickets()
        self._book()
        line = self.Points.search([], limit=1)
        # a service user reads the ledger and the balance, changes nothing
        agent_points = self.Points.with_user(self.agent)
        self.assertEqual(agent_points.search_count([]), 2)
        self.assertEqual(
            self.dealer_hh.with_user(self.agent).aftersales_points_balance, 15
        )
        with self.assertRaises(AccessError):
            line.with_user(self.agent).points = 100
        with self.assertRaises(AccessError):
            agent_points.create(
                {"dealer_id": self.dealer_hh.id, "points": 50, "note": "Gift"}
            )
        # a manager adjusts by hand
        manual = self.Points.with_user(self.manager).create(
            {"dealer_id": self.dealer_hh.id, "points": -4, "note": "Late report"}
        )
        self.assertEqual(manual.rule, "manual")
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 11)
        # a user of another company sees none of these lines
        other = self.env["res.company"].create({"name": "Other Brand Ltd"})
        outsider = new_test_user(
            self.env,
            login="as_points_outsider",
            groups="aftersales_service.aftersales_group_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertEqual(self.Points.with_user(outsider).search_count([]), 0)
        self.assertEqual(
            self.dealer_hh.with_user(outsider).aftersales_points_balance, 0
        )
        with self.assertRaises(AccessError):
            line.with_user(outsider).read(["points"])
        # an internal user outside after-sales has no access at all
        clerk = new_test_user(
            self.env, login="as_points_clerk", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.Points.with_user(clerk).search([])
