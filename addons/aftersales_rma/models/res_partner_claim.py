from odoo import fields, models


class ResPartner(models.Model):
    """How a dealer is paid its approved warranty claims."""

    _inherit = "res.partner"

    aftersales_claim_payment_method = fields.Selection(
        [
            ("bill", "Vendor Bill"),
            ("credit_note", "Customer Credit Note"),
        ],
        string="Claims Paid By",
        default="bill",
        required=True,
        help="Vendor bill: the approved claims are paid as a vendor bill to the "
        "dealer. Customer credit note: they are credited on the dealer's customer "
        "account (a credit note it offsets against its invoices). Read on the "
        "dealer's company.",
    )
