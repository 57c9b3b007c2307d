from datetime import timedelta

from odoo import api, fields, models, tools

from ..tools.dealer_points import due_points

POINTS_RULES = [
    ("sla_met", "SLA Met"),
    ("five_star", "5-Star Rating"),
    ("registration_on_time", "Registration within the Window"),
    ("manual", "Manual Adjustment"),
]


class AftersalesDealerPoints(models.Model):
    """A dealer's incentive points ledger: one line per earning or loss, booked
    by the daily cron from the rules of the company's settings
    (tools/dealer_points.py); a source document earns a rule once."""

    _name = "aftersales.dealer.points"
    _description = "After-Sales Dealer Incentive Points"
    _order = "date desc, id desc"
    _check_company_auto = True

    dealer_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('aftersales_role', '!=', False)]",
    )
    dealer_path = fields.Char(related="dealer_id.aftersales_path", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    points = fields.Integer(required=True, aggregator="sum")
    rule = fields.Selection(
        POINTS_RULES, string="Reason", required=True, index=True, default="manual"
    )
    note = fields.Char()
    res_model = fields.Char(string="Source Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", index=True, readonly=True
    )
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        string="Source",
        compute="_compute_source_ref",
    )

    _sql_constraints = [
        (
            "dealer_rule_source_uniq",
            "unique(dealer_id, rule, res_model, res_id)",
            "A source document earns or loses the points of a rule once.",
        ),
    ]

    def init(self):
        res = super().init()
        tools.create_index(
            self.env.cr,
            "aftersales_dealer_points_dealer_path_prefix_index",
            self._table,
            ["dealer_path varchar_pattern_ops"],
            where="dealer_path IS NOT NULL",
        )
        return res

    @api.model
    def _selection_source_ref(self):
        return [
            (model, self.env[model]._description)
            for model in self._points_source_models()
        ]

    @api.depends("res_model", "res_id")
    def _compute_source_ref(self):
        sources = set(self._points_source_models())
        for line in self:
            line.source_ref = (
                f"{line.res_model},{line.res_id}"
                if line.res_model in sources and line.res_id
                else False
            )

    @api.model
    def _points_source_models(self):
        """The models whose ``_dealer_points_events(since)`` give the events of
        the rules (other addons add theirs)."""
        return ["aftersales.ticket", "aftersales.warranty"]

    @api.model
    def _cron_book_points(self, lookback_days=30):
        """Book the points due for the sources changed in the last
        ``lookback_days`` days, in every company; running it twice books
        nothing twice."""
        since = fields.Datetime.now() - timedelta(days=lookback_days)
        return self._book_points(since)

    @api.model
    def _book_points(self, since):
        """Evaluate the rules on the sources changed since ``since`` and create
        the lines still due: one search per source model, one for the lines
        already booked, one create. Returns the new lines."""
        # sudo: the ledger of every dealer and company, whoever runs the cron
        ledger = self.sudo()
        events_by_company = {}
        for model in self._points_source_models():
            for company_id, *event in (
                self.env[model].sudo()._dealer_points_events(since)
            ):
                events_by_company.setdefault(company_id, []).append(tuple(event))
        if not events_by_company:
            return ledger.browse()
        all_events = [e for events in events_by_company.values() for e in events]
        earned = {
            (line.dealer_id.id, line.rule, line.res_model, line.res_id)
            for line in ledger.search(
                [
                    ("res_id", "in", list({e[3] for e in all_events})),
                    ("res_model", "in", list({e[2] for e in all_events})),
                ]
            )
        }
        companies = self.env["res.company"].sudo().browse(events_by_company)
        vals_list = []
        for company in companies:
            rates = company._aftersales_points_per_rule()
            for dealer, rule, model, res_id, day, points in due_points(
                events_by_company[company.id], rates, earned
            ):
                earned.add((dealer, rule, model, res_id))
                vals_list.append(
                    {
                        "dealer_id": dealer,
                        "company_id": company.id,
                        "rule": rule,
                        "res_model": model,
                        "res_id": res_id,
                        "date": day,
                        "points": points,
                    }
                )
        return ledger.create(vals_list) if vals_list else ledger.browse()
