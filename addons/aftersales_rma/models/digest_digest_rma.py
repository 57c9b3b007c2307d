from odoo import fields, models


class DigestDigest(models.Model):
    """The RMAs in Odoo's periodic digest email: the RMAs created in the
    period, of the digest's company."""

    _inherit = "digest.digest"

    kpi_aftersales_rma = fields.Boolean(string="RMAs Created")
    kpi_aftersales_rma_value = fields.Integer(
        compute="_compute_kpi_aftersales_rma_value"
    )

    def _compute_kpi_aftersales_rma_value(self):
        start, end, companies = self._get_kpi_compute_parameters()
        [(count,)] = self.env["aftersales.rma"]._read_group(
            [
                ("company_id", "in", companies.ids),
                ("create_date", ">=", start),
                ("create_date", "<", end),
            ],
            [],
            ["__count"],
        )
        self.kpi_aftersales_rma_value = count

    def _compute_kpis_actions(self, company, user):
        result = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("aftersales_service.aftersales_menu_root").id
        result["kpi_aftersales_rma"] = (
            f"aftersales_rma.aftersales_rma_action?menu_id={menu}"
        )
        return result
