from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.aftersales_claim import CLAIM_STATES
from ..tools.claim_math import AGE_BUCKETS

AGE_BUCKET_LABELS = [
    ("0_7", "0-7 Days"),
    ("8_30", "8-30 Days"),
    ("31_60", "31-60 Days"),
    ("over_60", "Over 60 Days"),
]
WAITING_ON = [
    ("dealer", "Dealer"),
    ("brand", "Brand (to Decide)"),
    ("parts", "Faulty Part Return"),
    ("finance", "Finance (to Pay)"),
]
# the claims still open: not rejected, not paid
OPEN_STATES = ("draft", "submitted", "returned", "approved", "partly_approved")


class AftersalesClaimAgingReport(models.Model):
    """Open dealer claims by age and by whom they wait on, one row per claim on
    an SQL view. The age counts the days since the (last) submission, since the
    creation for a claim never submitted; the buckets and the waiting party
    follow ``tools/claim_math.py`` (``AGE_BUCKETS``, ``waiting_on``)."""

    _name = "aftersales.claim.aging.report"
    _description = "Dealer Claim Aging"
    _auto = False
    _order = "age_days desc, id"

    claim_id = fields.Many2one("aftersales.claim", string="Claim", readonly=True)
    dealer_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(CLAIM_STATES, string="Status", readonly=True)
    submit_date = fields.Date(readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="avg")
    age_bucket = fields.Selection(AGE_BUCKET_LABELS, string="Age", readonly=True)
    waiting_on = fields.Selection(WAITING_ON, readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_claimed = fields.Monetary(string="Claimed", readonly=True, aggregator=None)
    amount_approved = fields.Monetary(string="Approved", readonly=True, aggregator=None)
    claim_count = fields.Integer(string="# Claims", readonly=True)

    def _age_bucket_sql(self, age):
        """``CASE`` of the bucket keys of ``AGE_BUCKETS`` for the age ``age``."""
        whens = [
            SQL("WHEN %s <= %s THEN %s", age, bound, key)
            for bound, key in AGE_BUCKETS
            if bound is not None
        ]
        return SQL("CASE %s ELSE %s END", SQL(" ").join(whens), AGE_BUCKETS[-1][1])

    def _query(self):
        age = SQL(
            "GREATEST(CURRENT_DATE - COALESCE(c.submit_date, c.create_date::date), 0)"
        )
        return SQL(
            """
            SELECT c.id AS id, c.id AS claim_id, c.dealer_id, c.ticket_id,
                   c.company_id, c.state, c.submit_date, c.currency_id,
                   c.amount_claimed, c.amount_approved, 1 AS claim_count,
                   %(age)s AS age_days,
                   %(bucket)s AS age_bucket,
                   CASE WHEN c.state IN ('draft', 'returned') THEN 'dealer'
                        WHEN c.state = 'submitted' THEN 'brand'
                        WHEN c.part_return_state = 'waiting'
                         AND NOT COALESCE(co.aftersales_claim_pay_before_return,
                                          FALSE)
                        THEN 'parts'
                        ELSE 'finance'
                   END AS waiting_on
              FROM aftersales_claim c
              JOIN res_company co ON co.id = c.company_id
             WHERE c.state IN %(open)s
            """,
            age=age,
            bucket=self._age_bucket_sql(age),
            open=OPEN_STATES,
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
