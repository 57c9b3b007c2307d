from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import COST_PAYERS, COST_TYPES, COST_TYPES_FROM_DOCUMENTS
from ..tools.rates import RateCache

# the documents a cost line comes from (README, "Cost of every case")
COST_SOURCE_MODELS = [
    ("repair.order", "Repair"),
    ("stock.picking", "Transfer"),
    ("aftersales.shipment", "Shipment"),
    ("aftersales.claim", "Dealer Claim"),
    ("account.move.line", "Vendor Bill Line"),
]

# what a line made from a document keeps from that document
SOURCE_FIELDS = {
    "cost_type",
    "amount",
    "currency_id",
    "date",
    "source_ref",
    "source_model",
    "source_res_id",
    "source_key",
    "product_id",
    "quantity",
    "ticket_id",
    "rma_id",
    "company_id",
}


class AftersalesCostLine(models.Model):
    """One cost of a case: parts, labour, travel, freight, duties or other, in
    its own currency and in the company's at the line's date, with who pays it.
    Lines come from their documents (a done repair, a validated RMA transfer and
    its shipment legs, a posted vendor bill's freight); only travel and other
    costs are typed by hand."""

    _name = "aftersales.cost.line"
    _description = "After-Sales Cost Line"
    _inherit = ["analytic.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Description", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        compute="_compute_ticket_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    rma_id = fields.Many2one(
        "aftersales.rma", string="RMA", index="btree_not_null", check_company=True
    )
    team_id = fields.Many2one(
        related="ticket_id.team_id", store=True, index="btree_not_null"
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    cost_type = fields.Selection(COST_TYPES, required=True, index=True)
    payer = fields.Selection(COST_PAYERS, required=True, index=True, default="warranty")
    product_id = fields.Many2one("product.product", index="btree_not_null")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda s: s.env.company.currency_id
    )
    amount = fields.Monetary(currency_field="currency_id", required=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
        precompute=True,
        aggregator="sum",
    )
    # the source document as model and id (a stored Reference field checks
    # that each record exists, two queries per line), shown as ``source_ref``
    source_model = fields.Selection(
        COST_SOURCE_MODELS, string="Source Type", readonly=True, copy=False, index=True
    )
    source_res_id = fields.Many2oneReference(
        model_field="source_model", string="Source ID", readonly=True, copy=False
    )
    source_ref = fields.Reference(
        COST_SOURCE_MODELS, string="Source Document", compute="_compute_source_ref"
    )
    # one line per source and cost: "<model>,<id>,<what>"
    source_key = fields.Char(readonly=True, copy=False, index="btree_not_null")
    is_manual = fields.Boolean(compute="_compute_is_manual", string="Typed by Hand")

    _sql_constraints = [
        (
            "source_key_uniq",
            "unique(source_key)",
            "This cost of the source document is already recorded.",
        ),
    ]

    @api.depends("rma_id")
    def _compute_ticket_id(self):
        for line in self:
            if line.rma_id and not line.ticket_id:
                line.ticket_id = line.rma_id.ticket_id

    @api.depends("amount", "currency_id", "date", "company_id")
    def _compute_amount_company(self):
        rates = RateCache(self.env)
        for line in self:
            company = line.company_id or self.env.company
            currency = line.currency_id or company.currency_id
            day = line.date or fields.Date.context_today(line)
            line.amount_company = rates.convert(
                line.amount, currency, company.currency_id, company, day
            )

    @api.depends("source_model", "source_res_id")
    def _compute_source_ref(self):
        for line in self:
            line.source_ref = (
                f"{line.source_model},{line.source_res_id}"
                if line.source_model and line.source_res_id
                else False
            )

    @api.depends("source_model", "source_res_id")
    def _compute_is_manual(self):
        for line in self:
            line.is_manual = not (line.source_model and line.source_res_id)

    @api.depends("ticket_id.team_id", "rma_id.ticket_id.team_id")
    def _compute_analytic_distribution(self):
        # the team's analytic account, unless a distribution was set already
        for line in self:
            if line.analytic_distribution:
                continue
            account = (
                line.ticket_id or line.rma_id.ticket_id
            ).team_id.analytic_account_id
            if account:
                line.analytic_distribution = {str(account.id): 100.0}

    @api.constrains("cost_type", "source_model", "source_res_id")
    def _check_manual_cost_type(self):
        for line in self:
            if line.is_manual and line.cost_type in COST_TYPES_FROM_DOCUMENTS:
                raise ValidationError(
                    self.env._(
                        "A %(type)s cost comes from its document (repair, transfer, "
                        "shipment): only travel and other costs are typed by hand.",
                        type=dict(
                            self._fields["cost_type"]._description_selection(self.env)
                        )[line.cost_type],
                    )
                )

    @api.constrains("ticket_id", "rma_id")
    def _check_case(self):
        for line in self:
            if not line.ticket_id and not line.rma_id:
                raise ValidationError(
                    self.env._("A cost line belongs to a ticket or an RMA.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        # a line of an RMA belongs to the RMA's ticket
        rma_ids = [vals["rma_id"] for vals in vals_list if vals.get("rma_id")]
        rmas = self.env["aftersales.rma"].browse(rma_ids)
        for vals in vals_list:
            # "model,id" of the source document: its two stored fields
            if vals.get("source_ref"):
                model, res_id = vals.pop("source_ref").split(",")
                vals.update(source_model=model, source_res_id=int(res_id))
            if vals.get("rma_id") and not vals.get("ticket_id"):
                vals["ticket_id"] = rmas.browse(vals["rma_id"]).ticket_id.id
        return super().create(vals_list)

    def write(self, vals):
        from_source = self.env.context.get("aftersales_cost_from_source")
        if (
            SOURCE_FIELDS & set(vals)
            and not from_source
            and self.filtered("source_ref")
        ):
            raise UserError(
                self.env._(
                    "A cost that comes from a document changes with its "
                    "document only; you may change who pays it."
                )
            )
        return super().write(vals)

    @api.model
    def _create_from_sources(self, vals_list):
        """Create the lines of ``vals_list`` whose ``source_key`` is not recorded
        yet: one search and one create for the whole batch."""
        keys = [vals["source_key"] for vals in vals_list]
        if not keys:
            return self.browse()
        done = set(
            self.with_context(active_test=False)
            .search([("source_key", "in", keys)])
            .mapped("source_key")
        )
        new, seen = [], set()
        for vals in vals_list:
            if vals["source_key"] in done or vals["source_key"] in seen:
                continue
            seen.add(vals["source_key"])
            new.append(vals)
        lines = self.with_context(aftersales_cost_from_source=True).create(new)
        return lines.with_env(self.env)

    def action_open_source(self):
        self.ensure_one()
        if self.is_manual:
            return False
        if self.source_model == "account.move.line":
            # a bill line opens its bill
            return self.source_ref.move_id._get_records_action()
        return self.source_ref._get_records_action()
