from odoo import fields, models

from .aftersales_cost_total_mixin import COST_GROUPS


class AftersalesCampaign(models.Model):
    """The cost of a campaign: the cost lines of its tickets, in the company's
    currency, beside its progress."""

    _inherit = "aftersales.campaign"

    cost_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Cost Currency", groups=COST_GROUPS
    )
    cost_total = fields.Monetary(
        string="Cost",
        currency_field="cost_currency_id",
        compute="_compute_cost_total",
        groups=COST_GROUPS,
        help="The cost lines of the campaign's tickets, all payers, in the "
        "company's currency.",
    )

    def _compute_cost_total(self):
        # the tickets of each campaign, as ids only and whoever may open them
        # (sudo): the campaign's cost counts all of its tickets
        tickets_sudo = self.env["aftersales.ticket"].sudo()
        campaign_of = {}
        for campaign, ticket_ids in tickets_sudo._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id"], ["id:array_agg"]
        ):
            campaign_of.update(dict.fromkeys(ticket_ids, campaign.id))
        # then one grouped query over their cost lines
        totals = dict.fromkeys(self.ids, 0.0)
        for ticket, amount in self.env["aftersales.cost.line"]._read_group(
            [("ticket_id", "in", list(campaign_of))],
            ["ticket_id"],
            ["amount_company:sum"],
        ):
            totals[campaign_of[ticket.id]] += amount
        for campaign in self:
            campaign.cost_total = totals.get(campaign.id, 0.0)
