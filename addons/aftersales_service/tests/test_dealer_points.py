from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import BaseCase, Form, freeze_time, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..tools.dealer_points import (
    claim_rules,
    due_points,
    last_steps,
    live_keys,
    next_step,
    registration_rules,
    reversals,
    signed_points,
    ticket_kept_rules,
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
        # reopened, the SLA can still be met: kept, not earned
        self.assertEqual(ticket_kept_rules(7, "on_track"), ["sla_met"])
        self.assertEqual(ticket_kept_rules(7, "at_risk"), ["sla_met"])
        self.assertEqual(ticket_kept_rules(7, "breached"), [])
        self.assertEqual(ticket_kept_rules(7, "failed"), [])
        self.assertEqual(ticket_kept_rules(False, "on_track"), [])

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

    def test_steps_of_the_history(self):
        t = "aftersales.ticket"
        steps = last_steps(
            [
                (7, "sla_met", t, 1, 0),  # earned
                (7, "five_star", t, 1, 0),  # earned
                (7, "five_star", t, 1, 1),  # reversed
                (7, "five_star", t, 2, 2),  # earned again after a reversal
                (7, "five_star", t, 2, 0),
                (7, "five_star", t, 2, 1),
            ]
        )
        self.assertEqual(
            steps,
            {
                (7, "sla_met", t, 1): 0,
                (7, "five_star", t, 1): 1,
                (7, "five_star", t, 2): 2,
            },
        )
        self.assertEqual(
            live_keys(steps), {(7, "sla_met", t, 1), (7, "five_star", t, 2)}
        )
        self.assertEqual(next_step(steps, (7, "five_star", t, 1)), 2)
        self.assertEqual(next_step(steps, (8, "five_star", t, 1)), 0)

    def test_reversed_key_earns_again_once(self):
        day = date(2026, 4, 6)
        t = "aftersales.ticket"
        steps = {(7, "five_star", t, 1): 1, (7, "five_star", t, 2): 0}
        events = [
            (7, "five_star", t, 1, day),  # reversed: earns again
            (7, "five_star", t, 1, day),  # but once
            (7, "five_star", t, 2, day),  # live: already earned
        ]
        self.assertEqual(
            due_points(events, {"five_star": 5}, live_keys(steps)),
            [(7, "five_star", t, 1, day, 5)],
        )

    def test_reversals(self):
        t, w = "aftersales.ticket", "aftersales.warranty"
        live = [
            (101, 7, "sla_met", t, 1),  # still met: kept
            (102, 7, "five_star", t, 1),  # rating lowered: rule lost
            (103, 7, "sla_met", t, 2),  # moved to dealer 8
            (104, 7, "registration_on_time", w, 3),  # deleted
            (105, 7, "five_star", t, 4),  # not changed: not looked at
            (106, 7, "sla_met", t, 5),  # no dealer any more
        ]
        holding = {(7, "sla_met", t, 1), (8, "sla_met", t, 2)}
        changed = {(t, 1), (t, 2), (w, 3), (t, 5)}
        dealers = {(t, 1): 7, (t, 2): 8, (t, 4): 7, (t, 5): False}
        self.assertEqual(
            reversals(live, holding, changed, dealers),
            [
                (102, "rule_lost", 7),
                (103, "dealer_changed", 8),
                (104, "deleted", False),
                (106, "dealer_changed", False),
            ],
        )
        self.assertEqual(reversals([], holding, changed, dealers), [])


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

    # ------------------------------------------------------------------
    # Reversals
    # ------------------------------------------------------------------

    def _lines_of(self, source):
        return self.Points.search(
            [("res_model", "=", source._name), ("res_id", "=", source.id)],
            order="rule, step",
        )

    def _history(self, source):
        return [
            (line.dealer_id, line.rule, line.step, line.points)
            for line in self._lines_of(source)
        ]

    def test_sla_met_reversed_after_reopen_and_breach(self):
        ticket = self._tickets()[0]
        self._book()
        self.assertEqual(ticket.sla_state, "met")
        with freeze_time("2026-04-28 10:00:00"):
            ticket.stage_id = self.stage_accepted  # reopened weeks later
            self.assertEqual(ticket.sla_state, "on_track", "the clock runs again")
            self.env.flush_all()
            # reopened, the SLA can still be met: the points are kept
            self.assertFalse(self._book())
        with freeze_time("2026-07-28 10:00:00"):
            self.env["aftersales.ticket"]._cron_sla_check()
            self.assertEqual(ticket.sla_state, "breached")
            reversal = self._book()
        self.assertEqual(len(reversal), 1)
        earned = reversal.reversal_of_id
        self.assertEqual((earned.rule, earned.points), ("sla_met", 10))
        self.assertEqual(
            (reversal.rule, reversal.points, reversal.step, reversal.dealer_id),
            ("sla_met", -10, 1, self.dealer_hh),
        )
        self.assertEqual(reversal.date, date(2026, 7, 28), "the day of the run")
        self.assertIn("SLA is no longer met", reversal.note)
        self.assertTrue(reversal.is_reversal)
        self.assertEqual(self.Points.search([("is_reversal", "=", True)]), reversal)
        self.assertEqual(earned.reversal_ids, reversal)
        # the 5-star rating still holds: 5 points left
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 5)
        # run twice: reversed once
        self.assertFalse(self._book())
        self.assertEqual(
            self._history(ticket),
            [
                (self.dealer_hh, "five_star", 0, 5),
                (self.dealer_hh, "sla_met", 0, 10),
                (self.dealer_hh, "sla_met", 1, -10),
            ],
            "ordered by reason and step",
        )

    def test_rating_lowered_then_raised(self):
        ticket = self._tickets()[0]
        self.company.aftersales_points_sla_met = 0  # the rating's points only
        self._book()
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 5)
        token = ticket._rating_get_access_token()
        ticket.rating_apply(2, token=token)
        reversal = self._book()
        self.assertEqual(
            reversal.mapped(lambda line: (line.rule, line.points, line.step)),
            [("five_star", -5, 1)],
        )
        self.assertIn("no longer 5 stars", reversal.note)
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 0)
        self.assertFalse(self._book(), "reversed once")
        # rated 5 again: earns again, once
        ticket.rating_apply(5, token=token)
        again = self._book()
        self.assertEqual(
            again.mapped(lambda line: (line.rule, line.points, line.step)),
            [("five_star", 5, 2)],
        )
        self.assertFalse(again.reversal_of_id)
        self.assertFalse(self._book())
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 5)
        # and lowered again: the second earning is reversed too
        ticket.rating_apply(1, token=token)
        self.assertEqual(self._book().reversal_of_id, again)
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 0)
        self.assertEqual(
            [step for *_rest, step, _points in self._history(ticket)], [0, 1, 2, 3]
        )

    def test_reversal_is_unique_per_step(self):
        ticket = self._tickets()[0]
        self._book()
        ticket.rating_apply(2, token=ticket._rating_get_access_token())
        reversal = self._book()
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Points.create(
                {
                    "dealer_id": self.dealer_hh.id,
                    "rule": "five_star",
                    "res_model": "aftersales.ticket",
                    "res_id": ticket.id,
                    "points": -5,
                    "step": 1,
                    "reversal_of_id": reversal.reversal_of_id.id,
                }
            )
            self.env.flush_all()
        # an odd step is a reversal, an even one an earning
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Points.create({"dealer_id": self.dealer_hh.id, "points": 3, "step": 1})
            self.env.flush_all()

    def test_ticket_moved_to_another_dealer(self):
        ticket = self._tickets()[0]
        self._book()
        ticket.dealer_id = self.dealer_late
        lines = self._book()
        reversals = lines.filtered("reversal_of_id")
        self.assertEqual(
            sorted(reversals.mapped(lambda line: (line.rule, line.points))),
            [("five_star", -5), ("sla_met", -10)],
        )
        self.assertEqual(reversals.dealer_id, self.dealer_hh)
        self.assertIn(self.dealer_late.name, reversals[0].note)
        earned = lines - reversals
        self.assertEqual(earned.dealer_id, self.dealer_late)
        self.assertEqual(set(earned.mapped("step")), {0})
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 0)
        self.assertEqual(self.dealer_late.aftersales_points_balance, 15)
        self.assertFalse(self._book())
        # a ticket without a dealer any more
        ticket.dealer_id = False
        lost = self._book()
        self.assertEqual(lost.dealer_id, self.dealer_late)
        self.assertEqual(sum(lost.mapped("points")), -15)
        self.assertIn("no longer has a dealer", lost[0].note)
        self.assertEqual(self.dealer_late.aftersales_points_balance, 0)

    def test_registration_voided_or_moved(self):
        on_time, _late = self._registrations()
        other = self._register(
            self._lot("US200-PTS-3"),
            delivery_date=date(2026, 3, 1),
            registration_date=date(2026, 3, 10),
        )
        self._book()
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 4)
        on_time.action_void("Registered twice by mistake")
        other.dealer_id = self.dealer_late
        lines = self._book()
        voided = lines.filtered(lambda line: line.res_id == on_time.id)
        self.assertEqual(
            voided.mapped(lambda line: (line.dealer_id, line.points, line.step)),
            [(self.dealer_hh, -2, 1)],
        )
        self.assertIn("void", voided.note)
        moved = lines.filtered(lambda line: line.res_id == other.id)
        self.assertEqual(
            sorted(moved.mapped(lambda line: (line.dealer_id.id, line.points))),
            sorted([(self.dealer_hh.id, -2), (self.dealer_late.id, 2)]),
        )
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 0)
        self.assertEqual(self.dealer_late.aftersales_points_balance, 2)
        self.assertFalse(self._book())

    def test_deleted_source(self):
        tickets = self._tickets()
        self._book()
        # an old ticket, not changed in the window: only its deletion counts
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE aftersales_ticket SET write_date = %s WHERE id IN %s",
                datetime(2000, 1, 1),
                tuple(tickets.ids),
            )
        )
        self.env.invalidate_all()
        self.assertFalse(self._book())
        tickets[0].unlink()
        lines = self._book()
        self.assertEqual(len(lines), 2)
        self.assertEqual(sum(lines.mapped("points")), -15)
        self.assertIn("deleted", lines[0].note)
        self.assertFalse(
            [line for line in lines if line.source_ref], "no link to a deleted source"
        )
        self.assertEqual(self.dealer_hh.aftersales_points_balance, 0)
        self.assertFalse(self._book())

    def test_partner_form_shows_reversal_and_balance(self):
        ticket = self._tickets()[0]
        self._book()
        ticket.rating_apply(2, token=ticket._rating_get_access_token())
        reversal = self._book()
        self.env.invalidate_all()
        form = Form(self.dealer_hh.with_user(self.agent))
        self.assertEqual(form.aftersales_points_balance, 10)
        self.assertIn(reversal.id, form.aftersales_points_ids.ids)
        self.assertEqual(len(form.aftersales_points_ids), 3)
        rows = {
            (row["rule"], row["points"], row["note"], bool(row["reversal_of_id"]))
            for row in form.aftersales_points_ids._records
        }
        self.assertIn(("five_star", -5, reversal.note, True), rows)
        self.assertIn(("five_star", 5, False, False), rows)

    def _reversal_queries(self, count):
        """(reversals, queries) of a booking run reversing the 5-star points
        of ``count`` tickets."""
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
        self.assertEqual(len(self._book()), count)
        for ticket in tickets:
            ticket.rating_apply(2, token=ticket._rating_get_access_token())
        # the chatter tracking of the ratings is not the booking's
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.flush_all()
        self.env.invalidate_all()
        return tickets

    def test_reversal_queries_do_not_grow_with_sources(self):
        # the same queries for 3 and 30 sources: the searches of the events,
        # of the live lines, of their sources and of the reopened tickets, the
        # reversals' create (and what it reads), the user's timezone
        for count in (3, 30):
            tickets = self._reversal_queries(count)
            with self.assertQueryCount(12):
                lines = self._book()
                self.env.flush_all()
            self.assertEqual(len(lines), count)
            self.assertEqual(set(lines.mapped("res_id")), set(tickets.ids))
            self.assertEqual(set(lines.mapped("points")), {-5})

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
