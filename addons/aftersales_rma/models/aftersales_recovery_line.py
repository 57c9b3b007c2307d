from odoo import fields, models


class AftersalesRecoveryLine(models.Model):
    """One warranty cost of a case claimed from a supplier: the cost line (each
    cost line is claimed once), the serial the supplier delivered, the ratio and
    the amount in the recovery's currency (converted at the cost's date)."""

    _name = "aftersales.recovery.line"
    _description = "Supplier Recovery Line"
    _order = "recovery_id, date, id"
    _check_company_auto = True

    recovery_id = fields.Many2one(
        "aftersales.recovery", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="recovery_id.company_id", store=True, index=True, precompute=True
    )
    state = fields.Selection(related="recovery_id.state", store=True, index=True)
    partner_id = fields.Many2one(
        related="recovery_id.partner_id", store=True, index=True, string="Supplier"
    )
    cost_line_id = fields.Many2one(
        "aftersales.cost.line",
        string="Cost",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    ticket_id = fields.Many2one(
        related="cost_line_id.ticket_id", store=True, index=True, string="Case"
    )
    date = fields.Date(related="cost_line_id.date", store=True)
    cost_type = fields.Selection(related="cost_line_id.cost_type", store=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", required=True, index=True
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", store=True, index=True, string="Product"
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    cost_amount = fields.Monetary(
        string="Cost (Company Currency)",
        related="cost_line_id.amount_company",
        store=True,
        currency_field="company_currency_id",
    )
    ratio = fields.Float(string="Ratio (%)", required=True)
    currency_id = fields.Many2one(related="recovery_id.currency_id", store=True)
    amount = fields.Monetary(string="Amount Claimed", required=True)
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        currency_field="company_currency_id",
        required=True,
    )

    _sql_constraints = [
        (
            "cost_line_uniq",
            "unique(cost_line_id)",
            "This cost is already claimed from a supplier.",
        ),
    ]
