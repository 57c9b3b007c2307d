from datetime import timedelta

import pytz

from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import working_hours


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
        """Working intervals (an ``Intervals`` of aware datetimes) of this calendar
        between two aware datetimes, in the calendar's own timezone, public
        holidays removed: Odoo's own ``_work_intervals_batch``, two queries
        whatever the span."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        return self._work_intervals_batch(start, end, tz=tz)[False]

    def _aftersales_plan_hours_batch(self, requests):
        """Plan many working-hour durations at once.

        :param requests: list of ``(start, hours)``, ``start`` a naive UTC datetime
        :return: list of naive UTC datetimes (``False`` when the calendar has no
            working time within two years), in the order of ``requests``

        The calendar's working intervals are read once for the whole batch, so the
        number of queries does not grow with the number of requests; the
        arithmetic is ``tools.working_hours.plan_hours``.
        """
        self.ensure_one()
        if not requests:
            return []
        starts = [working_hours.aware_utc(start) for start, _hours in requests]
        window = working_hours.plan_window(max(hours for _start, hours in requests))
        results = [None] * len(requests)
        pending = list(range(len(requests)))
        while pending and window <= timedelta(days=800):
            begin = min(starts[i] for i in pending)
            end = max(starts[i] for i in pending) + window
            intervals = self._aftersales_intervals(begin, end)
            still_pending = []
            for index in pending:
                result = working_hours.plan_hours(
                    intervals, starts[index], requests[index][1]
                )
                if result is None:
                    still_pending.append(index)
                else:
                    results[index] = working_hours.naive_utc(result)
            pending = still_pending
            window *= 4
        for index in pending:
            results[index] = False
        return results

    def _aftersales_work_hours_batch(self, periods):
        """Working hours inside each ``(start, end)`` naive UTC period, reading the
        calendar once for all periods (``tools.working_hours.work_hours``)."""
        self.ensure_one()
        if not periods:
            return []
        aware = [
            (working_hours.aware_utc(start), working_hours.aware_utc(end))
            for start, end in periods
        ]
        intervals = self._aftersales_intervals(
            min(p[0] for p in aware), max(p[1] for p in aware)
        )
        return [working_hours.work_hours(intervals, start, end) for start, end in aware]
