from datetime import datetime, timedelta

import pytz

from odoo.tests import BaseCase

from odoo.addons.resource.models.utils import Intervals

from ..tools import working_hours

BERLIN = pytz.timezone("Europe/Berlin")


def _intervals(first_day, days, holidays=()):
    """Monday to Friday 08:00-12:00 and 13:00-17:00 Berlin time, as
    resource.calendar._work_intervals_batch gives them (aware, sorted)."""
    items = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= 5 or day in holidays:
            continue
        for begin, end in ((8, 12), (13, 17)):
            items.append(
                (
                    BERLIN.localize(datetime(day.year, day.month, day.day, begin)),
                    BERLIN.localize(datetime(day.year, day.month, day.day, end)),
                    set(),
                )
            )
    return Intervals(items)


def _utc(*args):
    return pytz.utc.localize(datetime(*args))


class TestWorkingHours(BaseCase):
    """Pure arithmetic: no database, no registry."""

    # Monday 2 March 2026 to Sunday 15 March; Friday 6 March a holiday
    intervals = _intervals(datetime(2026, 3, 2), 14, holidays={datetime(2026, 3, 6)})

    def test_plan_inside_one_day(self):
        # Monday 09:00 Berlin (08:00 UTC) + 2 h = 11:00 Berlin
        result = working_hours.plan_hours(self.intervals, _utc(2026, 3, 2, 8), 2)
        self.assertEqual(result, _utc(2026, 3, 2, 10))

    def test_plan_over_lunch_night_weekend_and_holiday(self):
        # Monday 11:00 Berlin + 2 h: 1 h before lunch, 1 h after
        self.assertEqual(
            working_hours.plan_hours(self.intervals, _utc(2026, 3, 2, 10), 2),
            _utc(2026, 3, 2, 13),
        )
        # Thursday 16:00 Berlin + 2 h: Friday is a holiday, Monday 09:00 Berlin
        self.assertEqual(
            working_hours.plan_hours(self.intervals, _utc(2026, 3, 5, 15), 2),
            _utc(2026, 3, 9, 8),
        )
        # Saturday + 0 h: the next working moment, Monday 08:00 Berlin
        self.assertEqual(
            working_hours.plan_hours(self.intervals, _utc(2026, 3, 7, 12), 0),
            _utc(2026, 3, 9, 7),
        )

    def test_plan_beyond_the_intervals(self):
        # 9 working days are left from Monday 2 March: 73 hours do not fit
        self.assertIsNone(
            working_hours.plan_hours(self.intervals, _utc(2026, 3, 2, 7), 73)
        )
        self.assertEqual(
            working_hours.plan_hours(self.intervals, _utc(2026, 3, 2, 7), 72),
            _utc(2026, 3, 13, 16),
        )

    def test_work_hours(self):
        # Monday 10:00 Berlin to Tuesday 10:00 Berlin: 2 + 4 + 2 hours
        self.assertEqual(
            working_hours.work_hours(
                self.intervals, _utc(2026, 3, 2, 9), _utc(2026, 3, 3, 9)
            ),
            8.0,
        )
        # over the holiday and the weekend: Thursday 17:00 to Monday 08:00
        self.assertEqual(
            working_hours.work_hours(
                self.intervals, _utc(2026, 3, 5, 16), _utc(2026, 3, 9, 7)
            ),
            0.0,
        )
        self.assertEqual(
            working_hours.work_hours(
                self.intervals, _utc(2026, 3, 3, 9), _utc(2026, 3, 2, 9)
            ),
            0.0,
        )

    def test_planned_then_measured(self):
        start = _utc(2026, 3, 3, 14, 30)
        for hours in (0.5, 4, 7.25, 16, 40):
            end = working_hours.plan_hours(self.intervals, start, hours)
            self.assertAlmostEqual(
                working_hours.work_hours(self.intervals, start, end), hours
            )

    def test_naive_and_aware(self):
        naive = datetime(2026, 3, 2, 8)
        self.assertEqual(working_hours.aware_utc(naive), _utc(2026, 3, 2, 8))
        self.assertEqual(
            working_hours.naive_utc(BERLIN.localize(datetime(2026, 3, 2, 9))), naive
        )
        self.assertEqual(working_hours.plan_window(8), timedelta(days=16))
        self.assertEqual(working_hours.plan_window(1), timedelta(days=14))
