from odoo import fields, models

from ..const import COST_PAYERS, COST_TYPES

# who sees a case's costs: the service users and finance (not the portal's
# dealers and customers, whose documents use this mixin)
COST_GROUPS = (
    "aftersales_service.aftersales_group_user,aftersales_rma.aftersales_group_finance"
)


class AftersalesCostTotalMixin(models.AbstractModel):
    """The totals of a case's cost lines, by cost type and by payer, in company
    currency: one grouped query for all the records computed together. Used by
    the ticket and the RMA (``_cost_line_field``: the cost line's field that
    points to the record)."""

    _name = "aftersales.cost.total.mixin"
    _description = "After-Sales Cost Totals"
    _cost_line_field = None

    cost_line_count = fields.Integer(compute="_compute_cost_totals", groups=COST_GROUPS)
    # the company's currency (the record using the mixin has a company_id)
    cost_currency_id = fields.Many2one(
        "res.currency",
        string="Cost Currency",
        compute="_compute_cost_currency_id",
        groups=COST_GROUPS,
    )
    cost_total = fields.Monetary(
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_parts = fields.Monetary(
        string="Parts Cost",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_labour = fields.Monetary(
        string="Labour Cost",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_travel = fields.Monetary(
        string="Travel Cost",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_freight = fields.Monetary(
        string="Freight Cost",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_duty = fields.Monetary(
        string="Duties and Taxes",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_other = fields.Monetary(
        string="Other Costs",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_warranty = fields.Monetary(
        string="Paid by Warranty",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_customer = fields.Monetary(
        string="Paid by Customer",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_dealer = fields.Monetary(
        string="Paid by Dealer",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )
    cost_supplier = fields.Monetary(
        string="Paid by Supplier",
        compute="_compute_cost_totals",
        groups=COST_GROUPS,
        currency_field="cost_currency_id",
    )

    def _compute_cost_currency_id(self):
        for record in self:
            record.cost_currency_id = record.company_id.currency_id

    def _compute_cost_totals(self):
        field = self._cost_line_field
        totals = {}
        for record, cost_type, payer, amount, count in self.env[
            "aftersales.cost.line"
        ]._read_group(
            [(field, "in", self.ids)],
            [field, "cost_type", "payer"],
            ["amount_company:sum", "__count"],
        ):
            values = totals.setdefault(record.id, {"count": 0, "total": 0.0})
            values["count"] += count
            values["total"] += amount
            values[cost_type] = values.get(cost_type, 0.0) + amount
            values[payer] = values.get(payer, 0.0) + amount
        for record in self:
            values = totals.get(record.id, {})
            record.cost_line_count = values.get("count", 0)
            record.cost_total = values.get("total", 0.0)
            for key, _label in COST_TYPES + COST_PAYERS:
                record[f"cost_{key}"] = values.get(key, 0.0)

    def action_view_cost_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_rma.aftersales_cost_line_action"
        )
        action["domain"] = [(self._cost_line_field, "=", self.id)]
        action["context"] = {
            f"default_{self._cost_line_field}": self.id,
            "search_default_group_cost_type": 1,
        }
        return action
