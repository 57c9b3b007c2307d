from odoo import fields, models


class DigestDigest(models.Model):
    """The service KPIs in Odoo's periodic digest email: tickets closed, SLA
    attainment, CSAT, first-time fix rate and first response of the period, and
    the open backlog at its end (the figures of the Service KPIs report)."""

    _inherit = "digest.digest"

    kpi_aftersales_ticket_closed = fields.Boolean(string="After-Sales Tickets Closed")
    kpi_aftersales_ticket_closed_value = fields.Integer(
        compute="_compute_kpi_aftersales_ticket_closed_value"
    )
    kpi_aftersales_sla_attainment = fields.Boolean(string="SLA Attainment (%)")
    kpi_aftersales_sla_attainment_value = fields.Float(
        compute="_compute_kpi_aftersales_sla_attainment_value"
    )
    kpi_aftersales_csat = fields.Boolean(string="Customer Satisfaction (CSAT)")
    kpi_aftersales_csat_value = fields.Float(
        compute="_compute_kpi_aftersales_csat_value"
    )
    kpi_aftersales_backlog = fields.Boolean(string="After-Sales Open Backlog")
    kpi_aftersales_backlog_value = fields.Integer(
        compute="_compute_kpi_aftersales_backlog_value"
    )
    kpi_aftersales_first_time_fix = fields.Boolean(string="First-Time Fix Rate (%)")
    kpi_aftersales_first_time_fix_value = fields.Float(
        compute="_compute_kpi_aftersales_first_time_fix_value"
    )
    kpi_aftersales_response = fields.Boolean(string="First Response (working h)")
    kpi_aftersales_response_value = fields.Float(
        compute="_compute_kpi_aftersales_response_value"
    )

    def _aftersales_closed_domain(self):
        start, end, companies = self._get_kpi_compute_parameters()
        return [
            ("company_id", "in", companies.ids),
            ("close_date", ">=", start),
            ("close_date", "<", end),
            ("stage_id.is_cancelled", "=", False),
        ]

    def _compute_kpi_aftersales_ticket_closed_value(self):
        self.kpi_aftersales_ticket_closed_value = self.env[
            "aftersales.ticket"
        ].search_count(self._aftersales_closed_domain())

    def _compute_kpi_aftersales_sla_attainment_value(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                self._aftersales_closed_domain()
                + [("sla_state", "in", ("met", "failed"))],
                ["sla_state"],
                ["__count"],
            )
        )
        total = sum(counts.values())
        self.kpi_aftersales_sla_attainment_value = (
            100.0 * counts.get("met", 0) / total if total else 0.0
        )

    def _compute_kpi_aftersales_csat_value(self):
        start, end, companies = self._get_kpi_compute_parameters()
        tickets = self.env["aftersales.ticket"]._search(
            [("company_id", "in", companies.ids)]
        )
        [(average,)] = self.env["rating.rating"]._read_group(
            [
                ("res_model", "=", "aftersales.ticket"),
                ("res_id", "in", tickets),
                ("consumed", "=", True),
                ("rating", ">", 0),
                ("write_date", ">=", start),
                ("write_date", "<", end),
            ],
            [],
            ["rating:avg"],
        )
        self.kpi_aftersales_csat_value = average or 0.0

    def _compute_kpi_aftersales_backlog_value(self):
        """The tickets open at the end of the period: created before it, not
        closed (nor cancelled) by then. A ticket reopened since counts from its
        last closing."""
        _start, end, companies = self._get_kpi_compute_parameters()
        [(count,)] = self.env["aftersales.ticket.report"]._read_group(
            [
                ("company_id", "in", companies.ids),
                ("create_date", "<", end),
                "|",
                ("close_date", "=", False),
                ("close_date", ">=", end),
            ],
            [],
            ["__count"],
        )
        self.kpi_aftersales_backlog_value = count

    def _compute_kpi_aftersales_first_time_fix_value(self):
        start, end, companies = self._get_kpi_compute_parameters()
        [(rate,)] = self.env["aftersales.ticket.report"]._read_group(
            [
                ("company_id", "in", companies.ids),
                ("close_date", ">=", start),
                ("close_date", "<", end),
                ("is_cancelled", "=", False),
            ],
            [],
            ["first_time_fix:avg"],
        )
        self.kpi_aftersales_first_time_fix_value = 100.0 * (rate or 0.0)

    def _compute_kpi_aftersales_response_value(self):
        start, end, companies = self._get_kpi_compute_parameters()
        [(hours,)] = self.env["aftersales.ticket.report"]._read_group(
            [
                ("company_id", "in", companies.ids),
                ("ticket_id.first_response_date", ">=", start),
                ("ticket_id.first_response_date", "<", end),
            ],
            [],
            ["response_working_hours:avg"],
        )
        self.kpi_aftersales_response_value = hours or 0.0

    def _compute_kpis_actions(self, company, user):
        result = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("aftersales_service.aftersales_menu_root").id
        action = f"aftersales_service.aftersales_ticket_action?menu_id={menu}"
        for kpi in (
            "kpi_aftersales_ticket_closed",
            "kpi_aftersales_sla_attainment",
            "kpi_aftersales_csat",
            "kpi_aftersales_backlog",
        ):
            result[kpi] = action
        report = f"aftersales_service.aftersales_ticket_report_action?menu_id={menu}"
        for kpi in ("kpi_aftersales_first_time_fix", "kpi_aftersales_response"):
            result[kpi] = report
        return result
