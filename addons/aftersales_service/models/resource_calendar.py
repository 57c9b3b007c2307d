from datetime import timedelta

import pytz

from odoo import api, models
from odoo.exceptions import ValidationError


def _aware(dt):
    """Naive UTC datetimes (as the ORM stores them) become aware UTC ones."""
    return dt if dt.tzinfo else pytz.utc.localize(dt)


def _naive(dt):
    return dt.astimezone(pytz.utc).replace(tzinfo=None)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.constrains("attendance_ids", "flexible_hours")
    def _check_aftersales_working_time(self):
        teams = (
            self.env["aftersales.team"]
            .sudo()
            .search([("resource_calendar_id", "in", self.ids)])
        )
        for calendar in teams.resource_calendar_id:
            if not calendar._aftersales_has_working_time():
                raise ValidationError(
                    self.env._(
                        "The working schedule %(calendar)s is used by an after-sales "
                        "team and must keep working hours: SLA deadlines are planned "
                        "in them.",
                        calendar=calendar.display_name,
                    )
                )

    def _aftersales_has_working_time(self):
        self.ensure_one()
        return bool(self.attendance_ids) and not self.flexible_hours

    def _aftersales_intervals(self, start, end):
        """Working intervals (aware UTC start, stop) of this calendar between two
        aware datetimes, in the calendar's own timezone, public holidays removed.
        Two queries whatever the span."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        intervals = self._work_intervals_batch(start, end, tz=tz)[False]
        return [
            (s.astimezone(pytz.utc), e.astimezone(pytz.utc))
            for s, e, _meta in intervals
        ]

    def _aftersales_plan_hours_batch(self, requests):
        """Plan many working-hour durations at once.

        :param requests: list of ``(start, hours)``, ``start`` a naive UTC datetime
        :return: list of naive UTC datetimes (``False`` when the calendar has no
            working time within two years), in the order of ``requests``

        The calendar's working intervals are read once for the whole batch, so the
        number of queries does not grow with the number of requests.
        """
        self.ensure_one()
        if not requests:
            return []
        starts = [_aware(start) for start, _hours in requests]
        max_hours = max(hours for _start, hours in requests)
        window = timedelta(days=max(14, int(max_hours / 4) + 14))
        results = [None] * len(requests)
        pending = list(range(len(requests)))
        while pending and window <= timedelta(days=800):
            begin = min(starts[i] for i in pending)
            end = max(starts[i] for i in pending) + window
            intervals = self._aftersales_intervals(begin, end)
            still_pending = []
            for index in pending:
                result = self._aftersales_walk(
                    intervals, starts[index], requests[index][1]
                )
                if result is None:
                    still_pending.append(index)
                else:
                    results[index] = _naive(result)
            pending = still_pending
            window *= 4
        for index in pending:
            results[index] = False
        return results

    @staticmethod
    def _aftersales_walk(intervals, start, hours):
        remaining = hours * 3600.0
        for interval_start, interval_stop in intervals:
            if interval_stop <= start:
                continue
            begin = max(interval_start, start)
            available = (interval_stop - begin).total_seconds()
            if remaining <= available:
                return begin + timedelta(seconds=remaining)
            remaining -= available
        return None

    def _aftersales_work_hours_batch(self, periods):
        """Working hours inside each ``(start, end)`` naive UTC period, reading the
        calendar once for all periods."""
        self.ensure_one()
        if not periods:
            return []
        aware = [(_aware(start), _aware(end)) for start, end in periods]
        intervals = self._aftersales_intervals(
            min(p[0] for p in aware), max(p[1] for p in aware)
        )
        result = []
        for start, end in aware:
            seconds = 0.0
            for interval_start, interval_stop in intervals:
                if interval_stop <= start or interval_start >= end:
                    continue
                seconds += (
                    min(interval_stop, end) - max(interval_start, start)
                ).total_seconds()
            result.append(seconds / 3600.0)
        return result
