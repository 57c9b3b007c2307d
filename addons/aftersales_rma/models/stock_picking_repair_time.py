from odoo import models

from .aftersales_rma_repair_time import REPAIR_TIME_LEGS


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def write(self, vals):
        res = super().write(vals)
        if "date_done" in vals:
            # a receipt or a return to the customer validated (its date set) or
            # its date corrected: the RMA's repair time in working hours follows
            legs = self.filtered(
                lambda p: (
                    p.aftersales_rma_id
                    and p.aftersales_rma_kind in REPAIR_TIME_LEGS
                    and p.state == "done"
                )
            )
            # sudo: a KPI of the RMA, whoever validates or corrects its transfer
            legs.aftersales_rma_id.sudo()._aftersales_store_repair_hours()
        return res
