from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    aftersales_rma_line_id = fields.Many2one(
        "aftersales.rma.line", string="RMA Line", index="btree_not_null", copy=False
    )
    aftersales_rma_id = fields.Many2one(
        related="aftersales_rma_line_id.rma_id",
        string="RMA",
        store=True,
        index="btree_not_null",
    )

    def action_repair_done(self):
        res = super().action_repair_done()
        lines = self.aftersales_rma_line_id.filtered(
            lambda line: line.rma_id.state == "processing"
        )
        if lines:
            # the repaired unit goes back to the customer (DISPOSITION_DOCUMENTS)
            rmas = lines.rma_id.sudo()
            rmas._create_documents(lines.sudo(), "after_repair")
            rmas._check_done()
        return res

    def action_view_aftersales_rma(self):
        self.ensure_one()
        return self.aftersales_rma_id._get_records_action(name=self.env._("RMA"))
