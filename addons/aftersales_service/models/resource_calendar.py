from datetime import timedelta

import pytz

from odoo import api, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.resource.models.utils import Intervals

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

    def _aftersales_state(self):
        """``(has working time, version)`` of this calendar: whether it can plan
        SLA deadlines (as _aftersales_has_working_time()), and a key that changes
        with its timezone, attendances and leaves (public holidays included),
        under which its working intervals are cached. Read in one query, then
        kept per registry until the calendar, an attendance or a leave changes
        (their write(), create() and unlink() empty the cache), so that a
        ticket's creation spends no query on it."""
        self.ensure_one()
        self.flush_recordset(["tz", "flexible_hours"])
        self.env["resource.calendar.attendance"].flush_model()
        self.env["resource.calendar.leaves"].flush_model()
        return self._aftersales_cached_state(self.id)

    @api.model
    @tools.ormcache("calendar_id")
    def _aftersales_cached_state(self, calendar_id):
        self.env.cr.execute(
            """
            SELECT c.flexible_hours, c.tz, c.write_date,
                   a.n, a.last, a.top, l.n, l.last, l.top
              FROM resource_calendar c,
                   LATERAL (SELECT count(*) AS n, max(write_date) AS last,
                                   max(id) AS top
                              FROM resource_calendar_attendance
                             WHERE calendar_id = c.id) a,
                   LATERAL (SELECT count(*) AS n, max(write_date) AS last,
                                   max(id) AS top
                              FROM resource_calendar_leaves
                             WHERE calendar_id = c.id OR calendar_id IS NULL) l
             WHERE c.id = %s
            """,
            [calendar_id],
        )
        row = self.env.cr.fetchone()
        return bool(row[3]) and not row[0], tuple(row)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _aftersales_cached_state()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()  # _aftersales_cached_state()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _aftersales_cached_state()
        return super().unlink()

    def _aftersales_intervals(self, start, end, version=None):
        """Working intervals (an ``Intervals`` of aware datetimes) of this calendar
        from the day of ``start`` (UTC) to at least ``end`` (whole 4-week spans), in the
        calendar's own timezone, public holidays removed: Odoo's own
        ``_work_intervals_batch``, cached per calendar, days, user and companies
        under the calendar's ``version`` (see _aftersales_state()), so that the
        tickets of a day share one reading."""
        self.ensure_one()
        if version is None:
            version = self._aftersales_state()[1]
        begin = start.astimezone(pytz.utc).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        # whole 4-week spans: tickets of the same day planning different hours
        # (their policies differ) share one reading
        weeks = -(-(end - begin) // timedelta(weeks=4))
        stop = begin + max(weeks, 1) * timedelta(weeks=4)
        items = self._aftersales_cached_intervals(
            self.id, begin, stop, tuple(self.env.companies.ids), version
        )
        return Intervals([(s, e, set()) for s, e in items])

    @api.model
    @tools.ormcache(
        "calendar_id", "begin", "stop", "self.env.uid", "companies", "version"
    )
    def _aftersales_cached_intervals(
        self, calendar_id, begin, stop, companies, version
    ):
        calendar = self.browse(calendar_id)
        tz = pytz.timezone(calendar.tz or "UTC")
        intervals = calendar._work_intervals_batch(begin, stop, tz=tz)[False]
        return tuple((s, e) for s, e, _meta in intervals)

    def _aftersales_plan_hours_batch(self, requests, version=None):
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
        if version is None:
            version = self._aftersales_state()[1]
        results = [None] * len(requests)
        pending = list(range(len(requests)))
        while pending and window <= timedelta(days=800):
            begin = min(starts[i] for i in pending)
            end = max(starts[i] for i in pending) + window
            intervals = self._aftersales_intervals(begin, end, version)
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

    def _aftersales_work_hours_batch(self, periods, version=None):
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
            min(p[0] for p in aware), max(p[1] for p in aware), version
        )
        return [working_hours.work_hours(intervals, start, end) for start, end in aware]
