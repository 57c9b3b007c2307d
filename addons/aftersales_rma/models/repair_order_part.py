from odoo import fields, models


class RepairOrder(models.Model):
    """The spare part requests of a repair."""

    _inherit = "repair.order"

    aftersales_part_request_ids = fields.One2many(
        "aftersales.part.request", "repair_id", string="Part Requests"
    )
    aftersales_part_request_count = fields.Integer(
        compute="_compute_aftersales_part_request_count"
    )

    def _compute_aftersales_part_request_count(self):
        # sudo: a repair user sees how many requests the repair has
        counts = dict(
            self.env["aftersales.part.request"]
            .sudo()
            ._read_group([("repair_id", "in", self.ids)], ["repair_id"], ["__count"])
        )
        for repair in self:
            repair.aftersales_part_request_count = counts.get(repair, 0)

    def action_view_aftersales_part_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_rma.aftersales_part_request_action"
        )
        action["domain"] = [("repair_id", "=", self.id)]
        action["context"] = {"default_repair_id": self.id}
        return action
