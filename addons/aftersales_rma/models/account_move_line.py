from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    aftersales_claim_id = fields.Many2one(
        "aftersales.claim",
        string="Dealer Claim",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
