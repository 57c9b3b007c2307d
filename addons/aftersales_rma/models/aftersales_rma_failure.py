from odoo import models

FAILURE_FIELDS = ("symptom_code_id", "cause_code_id", "remedy_code_id")


class AftersalesRma(models.Model):
    """The failure codes follow the unit: an RMA line's codes go to its repair
    order, and those of a line without codes come from the RMA's ticket."""

    _inherit = "aftersales.rma"

    def _prepare_repair_vals(self, line):
        vals = super()._prepare_repair_vals(line)
        source = line if any(line[f] for f in FAILURE_FIELDS) else self.ticket_id
        if source and source._aftersales_failure_product() == line.product_id:
            for fname in FAILURE_FIELDS:
                if source[fname]:
                    vals[fname] = source[fname].id
        return vals
