from odoo import fields, models


class DigestDigest(models.Model):
    """The service KPIs in Odoo's periodic digest email: tickets closed, SLA
    attainment and CSAT of the period (the figures of the Service KPIs report)."""

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

    def _compute_kpis_actions(self, company, user):
        result = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("aftersales_service.aftersales_menu_root").id
        action = f"aftersales_service.aftersales_ticket_action?menu_id={menu}"
        for kpi in (
            "kpi_aftersales_ticket_closed",
            "kpi_aftersales_sla_attainment",
            "kpi_aftersales_csat",
        ):
            result[kpi] = action
        return result
