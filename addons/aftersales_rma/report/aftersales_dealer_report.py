from odoo import models
from odoo.tools import SQL


class AftersalesDealerReport(models.Model):
    """The dealers' warranty claims in their scorecards: submitted (not draft),
    rejected and suspicious, on the day they were submitted."""

    _inherit = "aftersales.dealer.report"

    def _parts(self):
        return super()._parts() + [
            SQL(
                """
                SELECT c.dealer_id,
                       NULLIF(split_part(d.aftersales_path, '/', 2), '')::int,
                       c.company_id, COALESCE(c.submit_date, c.create_date::date),
                       'claim', 0, NULL::float, NULL::float, NULL::float,
                       NULL::float, NULL::float, 0, NULL::float, 1,
                       CASE WHEN c.state = 'rejected' THEN 1 ELSE 0 END,
                       CASE WHEN c.suspicious THEN 1 ELSE 0 END
                  FROM aftersales_claim c
                  JOIN res_partner d ON d.id = c.dealer_id
                 WHERE c.state != 'draft'
                """
            )
        ]
