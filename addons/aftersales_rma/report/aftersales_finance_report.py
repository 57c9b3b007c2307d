from odoo import fields, models, tools
from odoo.tools import SQL

# the report's amounts, in order (the view's last columns, the Excel export's)
AMOUNT_COLUMNS = [
    "cost_total",
    "cost_warranty",
    "cost_customer",
    "cost_dealer",
    "cost_supplier",
    "invoiced",
    "claim_approved",
    "claim_paid",
    "recovery_claimed",
    "recovered",
    "difference",
]


class AftersalesFinanceReport(models.Model):
    """The money of each case in one row, in company currency: its costs by who
    bears them, what the customer was invoiced (posted customer invoices and
    credit notes of the case's RMAs and of the sale orders of their repairs),
    the dealer claims approved and paid, the supplier recoveries claimed and
    recovered, and the difference. Read-only on an SQL view; the Excel export
    reads these rows.

    The difference subtracts the total cost and the claims approved but not yet
    paid: a paid claim records what the warranty paid the dealer as cost lines
    of its case (``aftersales_claim_cost``), so subtracting its approved amount
    as well would count it twice."""

    _name = "aftersales.finance.report"
    _description = "After-Sales Finance Reconciliation"
    _auto = False
    _order = "date desc, ticket_id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("aftersales.ticket", string="Case", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Case Date", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    dealer_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    cost_total = fields.Monetary(string="Total Cost", readonly=True)
    cost_warranty = fields.Monetary(string="Borne by Warranty", readonly=True)
    cost_customer = fields.Monetary(string="Borne by Customer", readonly=True)
    cost_dealer = fields.Monetary(string="Borne by Dealer", readonly=True)
    cost_supplier = fields.Monetary(string="Borne by Supplier", readonly=True)
    invoiced = fields.Monetary(
        string="Customer Invoiced",
        readonly=True,
        help="Posted customer invoices less credit notes of the case's RMAs and "
        "of the sale orders of their repairs, untaxed.",
    )
    claim_approved = fields.Monetary(
        string="Dealer Claims Approved",
        readonly=True,
        help="Approved amount of the case's dealer claims (approved, partly "
        "approved or paid), at the rate of the repair date.",
    )
    claim_paid = fields.Monetary(string="Dealer Claims Paid", readonly=True)
    recovery_claimed = fields.Monetary(
        string="Claimed from Suppliers",
        readonly=True,
        help="Supplier recovery lines sent, disputed, accepted or credited.",
    )
    recovered = fields.Monetary(
        readonly=True,
        help="Supplier recovery lines accepted or credited.",
    )
    difference = fields.Monetary(
        readonly=True,
        help="Customer invoiced + recovered - total cost - dealer claims "
        "approved and not paid yet (a paid claim is in the total cost): what the "
        "case earned (positive) or cost the company.",
    )

    def _columns(self):
        """The view's columns, in order (the Excel export writes them)."""
        return [
            "ticket_id",
            "company_id",
            "currency_id",
            "date",
            "team_id",
            "country_id",
            "partner_id",
            "dealer_id",
            "product_id",
            "lot_id",
            *AMOUNT_COLUMNS,
        ]

    def _query(self):
        return SQL(
            """
            WITH costs AS (
                SELECT ticket_id,
                       sum(amount_company) AS total,
                       sum(amount_company)
                           FILTER (WHERE payer = 'warranty') AS warranty,
                       sum(amount_company)
                           FILTER (WHERE payer = 'customer') AS customer,
                       sum(amount_company)
                           FILTER (WHERE payer = 'dealer') AS dealer,
                       sum(amount_company)
                           FILTER (WHERE payer = 'supplier') AS supplier
                  FROM aftersales_cost_line
                 WHERE ticket_id IS NOT NULL
                 GROUP BY ticket_id
            ), invoice_lines AS (
                SELECT r.ticket_id, aml.id AS line_id
                  FROM account_move am
                  JOIN aftersales_rma r ON r.id = am.aftersales_rma_id
                  JOIN account_move_line aml ON aml.move_id = am.id
                 WHERE r.ticket_id IS NOT NULL
                   AND am.state = 'posted'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND aml.display_type = 'product'
                 UNION
                SELECT r.ticket_id, aml.id
                  FROM repair_order ro
                  JOIN aftersales_rma r ON r.id = ro.aftersales_rma_id
                  JOIN sale_order_line sol ON sol.order_id = ro.sale_order_id
                  JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE r.ticket_id IS NOT NULL
                   AND am.state = 'posted'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND aml.display_type = 'product'
            ), invoices AS (
                SELECT il.ticket_id, sum(-aml.balance) AS invoiced
                  FROM invoice_lines il
                  JOIN account_move_line aml ON aml.id = il.line_id
                 GROUP BY il.ticket_id
            ), claims AS (
                SELECT ticket_id,
                       sum(amount_approved_company) AS approved,
                       sum(amount_approved_company)
                           FILTER (WHERE state = 'paid') AS paid,
                       sum(amount_approved_company)
                           FILTER (WHERE state != 'paid') AS payable
                  FROM aftersales_claim
                 WHERE ticket_id IS NOT NULL
                   AND state IN ('approved', 'partly_approved', 'paid')
                 GROUP BY ticket_id
            ), recoveries AS (
                SELECT ticket_id,
                       sum(amount_company) AS claimed,
                       sum(amount_company) FILTER (
                           WHERE state IN ('accepted', 'credited')
                       ) AS recovered
                  FROM aftersales_recovery_line
                 WHERE ticket_id IS NOT NULL
                   AND state IN ('sent', 'disputed', 'accepted', 'credited')
                 GROUP BY ticket_id
            )
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.company_id,
                   co.currency_id,
                   t.create_date::date AS date,
                   t.team_id,
                   t.country_id,
                   t.partner_id,
                   t.dealer_id,
                   t.product_id,
                   t.lot_id,
                   COALESCE(c.total, 0) AS cost_total,
                   COALESCE(c.warranty, 0) AS cost_warranty,
                   COALESCE(c.customer, 0) AS cost_customer,
                   COALESCE(c.dealer, 0) AS cost_dealer,
                   COALESCE(c.supplier, 0) AS cost_supplier,
                   COALESCE(i.invoiced, 0) AS invoiced,
                   COALESCE(cl.approved, 0) AS claim_approved,
                   COALESCE(cl.paid, 0) AS claim_paid,
                   COALESCE(rc.claimed, 0) AS recovery_claimed,
                   COALESCE(rc.recovered, 0) AS recovered,
                   -- a paid claim's cost lines are in the total cost: only
                   -- the claims approved and not paid yet are subtracted
                   COALESCE(i.invoiced, 0) + COALESCE(rc.recovered, 0)
                       - COALESCE(c.total, 0) - COALESCE(cl.payable, 0) AS difference
              FROM aftersales_ticket t
              JOIN res_company co ON co.id = t.company_id
              LEFT JOIN costs c ON c.ticket_id = t.id
              LEFT JOIN invoices i ON i.ticket_id = t.id
              LEFT JOIN claims cl ON cl.ticket_id = t.id
              LEFT JOIN recoveries rc ON rc.ticket_id = t.id
             WHERE c.ticket_id IS NOT NULL
                OR i.ticket_id IS NOT NULL
                OR cl.ticket_id IS NOT NULL
                OR rc.ticket_id IS NOT NULL
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
