from odoo import api, fields, models, tools


class AftersalesTicket(models.Model):
    """What the KPIs read of a ticket, stored when it happens: response and
    resolution times in calendar and working hours (the team's calendar, as the
    SLA counts them), reopenings and reassignments. The report
    ``aftersales.ticket.report`` aggregates them in SQL."""

    _inherit = "aftersales.ticket"

    response_hours = fields.Float(
        string="Response Time (h)",
        compute="_compute_kpi_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Calendar hours from the SLA start to the first response.",
    )
    response_working_hours = fields.Float(
        string="Response Time (working h)",
        compute="_compute_kpi_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Working hours of the team's calendar from the SLA start to the first "
        "response.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (h)",
        compute="_compute_kpi_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Calendar hours from the SLA start to the closing.",
    )
    resolution_working_hours = fields.Float(
        string="Resolution Time (working h)",
        compute="_compute_kpi_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Working hours of the team's calendar from the SLA start to the closing.",
    )
    reopen_count = fields.Integer(
        string="Reopened",
        default=0,
        readonly=True,
        copy=False,
        help="How many times the ticket left a closing stage for an open one.",
    )
    reassign_count = fields.Integer(
        string="Reassigned",
        default=0,
        readonly=True,
        copy=False,
        help="How many times the assignee changed after the first one.",
    )

    def init(self):
        res = super().init()
        # the KPIs' period (Service KPIs, the After-Sales dashboard) filters and
        # groups the tickets on their creation date, a column Odoo does not index
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_create_date_index",
            self._table,
            ["create_date"],
        )
        return res

    @api.depends("sla_start_date", "first_response_date", "close_date")
    def _compute_kpi_hours(self):
        periods = {}
        for ticket in self:
            start = ticket.sla_start_date or ticket.create_date
            for end_field in ("first_response_date", "close_date"):
                end = ticket[end_field]
                if start and end and end > start:
                    periods[ticket, end_field] = (start, end)
        keys = list(periods)
        working = self._working_hours_between(
            [(ticket, periods[ticket, end_field]) for ticket, end_field in keys]
        )
        values = dict(zip(keys, working, strict=True))
        for ticket in self:
            for end_field, calendar_name, working_name in (
                ("first_response_date", "response_hours", "response_working_hours"),
                ("close_date", "resolution_hours", "resolution_working_hours"),
            ):
                period = periods.get((ticket, end_field))
                if period:
                    ticket[calendar_name] = (
                        period[1] - period[0]
                    ).total_seconds() / 3600
                    ticket[working_name] = values[ticket, end_field]
                else:
                    ticket[calendar_name] = ticket[working_name] = 0.0

    def write(self, vals):
        counts = {}
        if "stage_id" in vals:
            stage = self.env["aftersales.stage"].browse(vals["stage_id"])
            if not stage.is_closed:
                for ticket in self.filtered("stage_id.is_closed"):
                    counts.setdefault(ticket, {})["reopen_count"] = (
                        ticket.reopen_count + 1
                    )
        if "user_id" in vals:
            for ticket in self.filtered(
                lambda t: t.user_id and t.user_id.id != vals["user_id"]
            ):
                counts.setdefault(ticket, {})["reassign_count"] = (
                    ticket.reassign_count + 1
                )
        result = super().write(vals)
        for ticket, values in counts.items():
            # sudo: counters of the ticket's history, whoever moved it
            super(AftersalesTicket, ticket.sudo()).write(values)
        return result
