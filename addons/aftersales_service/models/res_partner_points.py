from odoo import api, fields, models


class ResPartner(models.Model):
    """A dealer's incentive points: the ledger and its balance (of the companies
    the user works in)."""

    _inherit = "res.partner"

    aftersales_points_ids = fields.One2many(
        "aftersales.dealer.points",
        "dealer_id",
        string="Incentive Points",
        groups="aftersales_service.aftersales_group_user",
    )
    aftersales_points_balance = fields.Integer(
        string="Points Balance",
        compute="_compute_aftersales_points_balance",
        groups="aftersales_service.aftersales_group_user",
        help="The sum of the dealer's incentive points lines.",
    )

    @api.depends("aftersales_points_ids.points")
    @api.depends_context("allowed_company_ids")
    def _compute_aftersales_points_balance(self):
        # one grouped query for all partners, as the user: record rules keep
        # the lines of other companies out
        balances = dict(
            self.env["aftersales.dealer.points"]._read_group(
                [("dealer_id", "in", self.ids)], ["dealer_id"], ["points:sum"]
            )
        )
        for partner in self:
            partner.aftersales_points_balance = balances.get(partner._origin, 0)

    def action_view_aftersales_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_dealer_points_action"
        )
        action["domain"] = [("dealer_id", "=", self.id)]
        action["context"] = {"default_dealer_id": self.id}
        return action
