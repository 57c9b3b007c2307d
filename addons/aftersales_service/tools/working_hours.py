"""Working-hour arithmetic on working intervals, without the database.

The intervals are those of ``resource.calendar._work_intervals_batch`` (an
``odoo.addons.resource.models.utils.Intervals`` of aware ``(start, stop, meta)``
triples, sorted and disjoint, public holidays already removed); the calendar reads
them once for a whole batch of tickets and these functions do the rest in Python.
Datetimes in and out are aware; the ORM's naive UTC datetimes go through
:func:`aware_utc` and :func:`naive_utc`.
"""

from datetime import timedelta

import pytz

from odoo.addons.resource.models.utils import Intervals, sum_intervals


def aware_utc(dt):
    """A naive UTC datetime (as the ORM stores them) made aware; aware ones kept."""
    return dt if dt.tzinfo else pytz.utc.localize(dt)


def naive_utc(dt):
    """An aware datetime as the naive UTC datetime the ORM stores."""
    return dt.astimezone(pytz.utc).replace(tzinfo=None)


def plan_hours(intervals, start, hours):
    """The moment ``hours`` working hours after ``start``.

    :param intervals: working intervals, sorted (an ``Intervals``)
    :param start: aware datetime
    :param hours: working hours to add (0 gives the first working moment at or
        after ``start``)
    :return: aware datetime, or ``None`` when the intervals end before that
    """
    remaining = hours * 3600.0
    for interval_start, interval_stop, _meta in intervals:
        if interval_stop <= start:
            continue
        begin = max(interval_start, start)
        available = (interval_stop - begin).total_seconds()
        if remaining <= available:
            return begin + timedelta(seconds=remaining)
        remaining -= available
    return None


def work_hours(intervals, start, end):
    """Working hours of ``intervals`` inside the period ``[start, end)``."""
    if end <= start:
        return 0.0
    return sum_intervals(Intervals([(start, end, set())]) & intervals)


def plan_window(hours):
    """A first window to read the working intervals in for planning ``hours``
    working hours (two weeks more than a 4-hour working day would need); the
    caller widens it when the intervals end too early."""
    return timedelta(days=max(14, int(hours / 4) + 14))
