"""The pure calculations of ``tools/`` (no database, no environment)."""

from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from ..tools.cron_trigger import (
    TRIGGER_LATER,
    TRIGGER_NONE,
    TRIGGER_NOW,
    next_trigger,
)
from ..tools.matching import (
    COUNTRY_ANY,
    COUNTRY_IN_GROUP,
    COUNTRY_LISTED,
    category_depth,
    counted_specificity,
    country_precision,
    most_specific,
)
from ..tools.warranty import warranty_decision, warranty_status

DE, FR, AE = 1, 2, 3
EUROPE = {DE, FR}


@tagged("post_install", "-at_install")
class TestMatchingRule(BaseCase):
    def test_country_precision(self):
        def precision(country, listed, groups):
            return country_precision(country, listed, bool(groups), groups)

        self.assertEqual(precision(DE, [], set()), COUNTRY_ANY)
        self.assertEqual(precision(False, [], set()), COUNTRY_ANY)
        self.assertEqual(precision(DE, [DE], set()), COUNTRY_LISTED)
        self.assertEqual(precision(DE, [DE], EUROPE), COUNTRY_LISTED)
        self.assertEqual(precision(FR, [DE], EUROPE), COUNTRY_IN_GROUP)
        self.assertEqual(precision(FR, [], EUROPE), COUNTRY_IN_GROUP)
        # a rule naming countries does not apply elsewhere, nor without a country
        self.assertIsNone(precision(AE, [DE], EUROPE))
        self.assertIsNone(precision(False, [DE], set()))
        self.assertIsNone(precision(None, [], EUROPE))
        # a group without countries (yet) still limits the rule
        self.assertIsNone(country_precision(DE, [], True, set()))
        self.assertTrue(COUNTRY_LISTED > COUNTRY_IN_GROUP > COUNTRY_ANY)

    def test_group_countries_read_only_when_they_decide(self):
        calls = []

        def groups():
            calls.append(1)
            return EUROPE

        def has_groups():
            calls.append(0)
            return True

        self.assertEqual(
            country_precision(DE, [DE], has_groups, groups), COUNTRY_LISTED
        )
        self.assertIsNone(country_precision(False, [DE], True, groups))
        self.assertFalse(calls)
        self.assertEqual(country_precision(FR, [DE], True, groups), COUNTRY_IN_GROUP)
        self.assertEqual(len(calls), 1)

    def test_counted_specificity(self):
        self.assertIsNone(counted_specificity(2, None))
        self.assertEqual(counted_specificity(0, COUNTRY_ANY), (0, 0))
        team, listed, group = (
            counted_specificity(1, COUNTRY_ANY),
            counted_specificity(0, COUNTRY_LISTED),
            counted_specificity(0, COUNTRY_IN_GROUP),
        )
        # a country is one criterion: team-only and country-only tie (sequence)
        self.assertEqual(team, listed)
        # reached through a group it weighs a little less than one criterion
        self.assertGreater(listed, group)
        self.assertGreater(team, group)
        self.assertGreater(group, counted_specificity(0, COUNTRY_ANY))
        self.assertGreater(counted_specificity(1, COUNTRY_IN_GROUP), team)

    def test_category_depth(self):
        self.assertEqual(category_depth("1/4/9/", ""), 0)
        self.assertEqual(category_depth("1/4/9/", False), 0)
        self.assertEqual(category_depth("1/4/9/", "1/"), 1)
        self.assertEqual(category_depth("1/4/9/", "1/4/"), 2)
        self.assertEqual(category_depth("1/4/9/", "1/4/9/"), 3)
        self.assertIsNone(category_depth("1/4/9/", "1/5/"))
        # "1/4/" is not a parent of "1/45/"
        self.assertIsNone(category_depth("1/45/", "1/4/"))
        self.assertIsNone(category_depth(False, "1/"))

    def test_most_specific(self):
        self.assertIsNone(most_specific([]))
        self.assertIsNone(most_specific([(None, 1, 1, "no")]))
        candidates = [
            ((0, 0), 1, 1, "catch-all"),
            ((1, COUNTRY_IN_GROUP), 5, 2, "group"),
            ((1, COUNTRY_LISTED), 9, 3, "listed"),
            (None, 0, 4, "not applicable"),
        ]
        self.assertEqual(most_specific(candidates), "listed")
        self.assertEqual(most_specific(candidates[:2]), "group")
        self.assertEqual(most_specific(candidates[:1]), "catch-all")
        # left to right: the first element decides before the next ones
        self.assertEqual(
            most_specific([((1, 0, 0), 9, 9, "product"), ((0, 3, 2), 1, 1, "deep")]),
            "product",
        )
        # ties: the lowest sequence, then the lowest id; order does not matter
        tied = [((1,), 5, 8, "late"), ((1,), 3, 9, "early"), ((1,), 5, 7, "older")]
        self.assertEqual(most_specific(tied), "early")
        self.assertEqual(most_specific(tied[::2]), "older")
        self.assertEqual(most_specific(reversed(tied[::2])), "older")


@tagged("post_install", "-at_install")
class TestWarrantyRule(BaseCase):
    start, end = date(2026, 1, 31), date(2028, 1, 30)

    def _status(self, state, on_date, start=start, end=end):
        return warranty_status(state, start, end, on_date)

    def test_status(self):
        inside, before, after = date(2026, 6, 1), date(2026, 1, 30), date(2028, 1, 31)
        for state in ("active", "expired"):
            self.assertEqual(self._status(state, inside), "in")
            self.assertEqual(self._status(state, self.start), "in")
            self.assertEqual(self._status(state, self.end), "in")
            self.assertEqual(self._status(state, before), "out")
            self.assertEqual(self._status(state, after), "expired")
        # awaiting proof: pending within the period only
        self.assertEqual(self._status("draft", inside), "pending")
        self.assertEqual(self._status("draft", before), "out")
        self.assertEqual(self._status("draft", after), "expired")
        for on_date in (inside, before, after):
            self.assertEqual(self._status("void", on_date), "void")
        # no warranty rule, no period
        self.assertEqual(self._status("active", inside, None, None), "out")
        self.assertEqual(self._status("draft", inside, None, None), "out")

    def test_decision(self):
        self.assertEqual(warranty_decision("in", 100, 100, 0), "covered")
        self.assertEqual(warranty_decision("in", 100.0, 100.0, 0.0), "covered")
        self.assertEqual(warranty_decision("in", 100, 80, 0), "partial")
        self.assertEqual(warranty_decision("in", 50, 100, 0), "partial")
        self.assertEqual(warranty_decision("in", 100, 100, 150), "partial")
        for status in ("pending", "out", "expired", "void", "unknown"):
            self.assertEqual(warranty_decision(status, 100, 100, 0), "chargeable")
        self.assertEqual(
            warranty_decision("unknown", False, False, False), "chargeable"
        )


@tagged("post_install", "-at_install")
class TestCronTrigger(BaseCase):
    def test_next_trigger(self):
        t0 = datetime(2026, 12, 3, 10, 0, 0)

        def at(seconds):
            return datetime(2026, 12, 3, 10, 0, seconds)

        self.assertEqual(next_trigger({}, t0), (TRIGGER_NOW, None))
        # within the window of a trigger for now: one for the end of the window
        self.assertEqual(
            next_trigger({"immediate": t0}, at(3)), (TRIGGER_LATER, at(13))
        )
        # a deferred trigger still ahead covers the transaction
        state = {"immediate": t0, "deferred": at(13)}
        self.assertEqual(next_trigger(state, at(4)), (TRIGGER_NONE, at(13)))
        self.assertEqual(next_trigger(state, at(10)), (TRIGGER_NONE, at(13)))
        # too close to it (the margin): a trigger of its own
        self.assertEqual(next_trigger(state, at(11))[0], TRIGGER_NOW)
        self.assertEqual(
            next_trigger({"immediate": at(5), "deferred": at(13)}, at(12)),
            (TRIGGER_LATER, at(22)),
        )
        # the window and the margin are parameters
        self.assertEqual(
            next_trigger({"immediate": t0}, at(3), window=2), (TRIGGER_NOW, None)
        )
        self.assertEqual(next_trigger(state, at(12), margin=0), (TRIGGER_NONE, at(13)))
