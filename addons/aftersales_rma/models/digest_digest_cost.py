from odoo import fields, models


class DigestDigest(models.Model):
    """The cost of the after-sales cases in Odoo's periodic digest email: the
    cost lines dated in the period, in the company's currency."""

    _inherit = "digest.digest"

    kpi_aftersales_cost = fields.Boolean(string="After-Sales Cost")
    kpi_aftersales_cost_value = fields.Monetary(
        compute="_compute_kpi_aftersales_cost_value"
    )

    def _compute_kpi_aftersales_cost_value(self):
        start, end, companies = self._get_kpi_compute_parameters()
        [(total,)] = self.env["aftersales.cost.line"]._read_group(
            [
                ("company_id", "in", companies.ids),
                ("date", ">=", fields.Date.to_date(start)),
                ("date", "<", fields.Date.to_date(end)),
            ],
            [],
            ["amount_company:sum"],
        )
        self.kpi_aftersales_cost_value = total or 0.0

    def _compute_kpis_actions(self, company, user):
        result = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("aftersales_service.aftersales_menu_root").id
        result["kpi_aftersales_cost"] = (
            f"aftersales_rma.aftersales_cost_line_action?menu_id={menu}"
        )
        return result
