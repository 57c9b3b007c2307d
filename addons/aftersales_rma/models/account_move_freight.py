from odoo import models


class AccountMove(models.Model):
    """Posting a vendor bill (or its credit note) whose lines name shipment legs
    records their freight on the legs' cases and drops the legs' estimated
    freight; resetting it to draft or cancelling it removes those lines and
    brings the estimate of a leg billed no more back (README, "Cost of every
    case")."""

    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # sudo: whoever may post the bill records its freight (an accountant
        # needs no right on the cases' costs)
        bill_lines = (
            posted.filtered(lambda m: m.move_type in ("in_invoice", "in_refund"))
            .sudo()
            .invoice_line_ids.filtered("aftersales_shipment_id")
        )
        bill_lines._aftersales_record_freight()
        return posted

    def button_draft(self):
        # the bill lines' freight goes before the bill is a draft again (a
        # cancelled posted bill goes through here too)
        lines = self.sudo().invoice_line_ids.filtered("aftersales_shipment_id")
        res = super().button_draft()
        if lines:
            self.env["aftersales.cost.line"].sudo().search(
                [
                    ("source_model", "=", "account.move.line"),
                    ("source_res_id", "in", lines.ids),
                ]
            ).unlink()
            lines.aftersales_shipment_id._aftersales_restore_freight_estimate()
        return res
