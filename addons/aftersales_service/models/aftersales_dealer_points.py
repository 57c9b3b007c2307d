from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.osv import expression

from ..tools.dealer_points import (
    due_points,
    last_steps,
    live_keys,
    next_step,
    reversals,
)

POINTS_RULES = [
    ("sla_met", "SLA Met"),
    ("five_star", "5-Star Rating"),
    ("registration_on_time", "Registration within the Window"),
    ("manual", "Manual Adjustment"),
]


class AftersalesDealerPoints(models.Model):
    """A dealer's incentive points ledger: one line per earning or loss, booked
    by the daily cron from the rules of the company's settings
    (tools/dealer_points.py); a source document earns a rule once per state:
    when it no longer fulfils the rule, the cron books one reversing line, and
    it may earn again once the rule holds again."""

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
    step = fields.Integer(
        default=0,
        required=True,
        readonly=True,
        copy=False,
        help="The line's place in the history of its dealer, reason and source: "
        "0 the first earning, 1 its reversal, 2 earned again, and so on.",
    )
    reversal_of_id = fields.Many2one(
        "aftersales.dealer.points",
        string="Reversal Of",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        copy=False,
        help="The earned line this line takes back: its source no longer "
        "fulfils the rule for this dealer.",
    )
    reversal_ids = fields.One2many(
        "aftersales.dealer.points", "reversal_of_id", string="Reversals"
    )
    is_reversal = fields.Boolean(
        string="Reversal",
        compute="_compute_is_reversal",
        search="_search_is_reversal",
    )
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        string="Source",
        compute="_compute_source_ref",
    )

    _sql_constraints = [
        (
            "dealer_rule_source_step_uniq",
            "unique(dealer_id, rule, res_model, res_id, step)",
            "A source document earns or loses the points of a rule once per "
            "change of its state.",
        ),
        (
            "reversal_step_check",
            "CHECK(step >= 0 AND (reversal_of_id IS NULL) = (mod(step, 2) = 0))",
            "A reversing line has an odd step and the line it reverses; an "
            "earning an even step.",
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

    @api.depends("reversal_of_id")
    def _compute_is_reversal(self):
        for line in self:
            line.is_reversal = bool(line.reversal_of_id)

    def _search_is_reversal(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [("reversal_of_id", "!=" if positive else "=", False)]

    @api.depends("res_model", "res_id")
    def _compute_source_ref(self):
        # a deleted source shows no link: one exists() per source model
        ids_by_model = {}
        for line in self:
            if line.res_model and line.res_id:
                ids_by_model.setdefault(line.res_model, set()).add(line.res_id)
        existing = {
            (model, res_id)
            for model, ids in ids_by_model.items()
            if model in self._points_source_models()
            for res_id in self.env[model].sudo().browse(ids).exists().ids
        }
        for line in self:
            line.source_ref = (
                f"{line.res_model},{line.res_id}"
                if (line.res_model, line.res_id) in existing
                else False
            )

    @api.model
    def _points_source_models(self):
        """The models whose ``_dealer_points_events(since)`` give the events of
        the rules (other addons add theirs)."""
        return ["aftersales.ticket", "aftersales.warranty"]

    @api.model
    def _points_reversal_notes(self):
        """``{rule: note}`` of a reversing line whose source no longer fulfils
        the rule (other addons add their rules')."""
        return {
            "sla_met": self.env._("Reversed: the ticket's SLA is no longer met."),
            "five_star": self.env._(
                "Reversed: the ticket's rating is no longer 5 stars."
            ),
            "registration_on_time": self.env._(
                "Reversed: the registration is void or no longer within the "
                "registration window."
            ),
        }

    @api.model
    def _points_kept_keys(self, since):
        """The keys ``(dealer id, rule, model, id)`` of the sources changed
        since ``since`` that keep a rule earned before without fulfilling it
        now (a reopened ticket whose SLA can still be met): not reversed, not
        earned again."""
        return set(self.env["aftersales.ticket"].sudo()._dealer_points_kept(since))

    @api.model
    def _cron_book_points(self, lookback_days=30):
        """Reverse the lines whose source no longer fulfils their rule and book
        the points due, for the sources changed in the last ``lookback_days``
        days (and the deleted ones), in every company; running it twice books
        and reverses nothing twice."""
        since = fields.Datetime.now() - timedelta(days=lookback_days)
        return self._book_points(since)

    @api.model
    def _book_points(self, since):
        """Evaluate the rules on the sources changed since ``since``, reverse
        the live lines they no longer earn and create the lines still due. A
        fixed number of queries: one search per source model for its events,
        one for the live lines to look at, one per model of those lines for
        their sources' dealers, one for the reopened tickets, one create of the
        reversals, one search of the lines booked, one create. Returns the new
        lines (reversals first)."""
        # sudo: the ledger of every dealer and company, whoever runs the cron
        ledger = self.sudo()
        events_by_company = {}
        for model in self._points_source_models():
            for company_id, *event in (
                self.env[model].sudo()._dealer_points_events(since)
            ):
                events_by_company.setdefault(company_id, []).append(tuple(event))
        all_events = [e for events in events_by_company.values() for e in events]
        reversed_lines = ledger._reverse_points(since, all_events)
        if not all_events:
            return reversed_lines
        steps = last_steps(
            (line.dealer_id.id, line.rule, line.res_model, line.res_id, line.step)
            for line in ledger.search_fetch(
                [
                    ("res_id", "in", list({e[3] for e in all_events})),
                    ("res_model", "in", list({e[2] for e in all_events})),
                ],
                ["dealer_id", "rule", "res_model", "res_id", "step"],
            )
        )
        earned = live_keys(steps)
        companies = self.env["res.company"].sudo().browse(events_by_company)
        vals_list = []
        for company in companies:
            rates = company._aftersales_points_per_rule()
            for dealer, rule, model, res_id, day, points in due_points(
                events_by_company[company.id], rates, earned
            ):
                key = (dealer, rule, model, res_id)
                earned.add(key)
                vals_list.append(
                    {
                        "dealer_id": dealer,
                        "company_id": company.id,
                        "rule": rule,
                        "res_model": model,
                        "res_id": res_id,
                        "date": day,
                        "points": points,
                        "step": next_step(steps, key),
                    }
                )
        booked = ledger.create(vals_list) if vals_list else ledger.browse()
        return reversed_lines + booked

    @api.model
    def _reverse_points(self, since, events):
        """Book one reversing line for each live earned line whose source
        changed since ``since`` or was deleted and no longer fulfils its rule
        for that dealer (``events``: the ``(dealer, rule, model, id, date)``
        the changed sources fulfil now). Returns the reversing lines."""
        models = self._points_source_models()
        domains = []
        for model in models:
            Source = self.env[model].sudo().with_context(active_test=False)
            domains.append(
                [
                    ("res_model", "=", model),
                    "|",
                    ("res_id", "in", Source._search([("write_date", ">=", since)])),
                    ("res_id", "not in", Source._search([])),
                ]
            )
        live = self.search(
            [
                ("reversal_of_id", "=", False),
                ("reversal_ids", "=", False),
                *expression.OR(domains),
            ]
        )
        if not live:
            return self.browse()
        dealers = {}
        for model in set(live.mapped("res_model")):
            ids = live.filtered(lambda line, m=model: line.res_model == m).mapped(
                "res_id"
            )
            Source = self.env[model].sudo().with_context(active_test=False)
            for source in Source.search_fetch([("id", "in", ids)], ["dealer_id"]):
                dealers[(model, source.id)] = source.dealer_id.id
        holding = {event[:4] for event in events}
        holding.update(self._points_kept_keys(since))
        todo = reversals(
            [
                (line.id, line.dealer_id.id, line.rule, line.res_model, line.res_id)
                for line in live
            ],
            holding,
            {(line.res_model, line.res_id) for line in live},
            dealers,
        )
        if not todo:
            return self.browse()
        notes = self._points_reversal_notes()
        lines = {line.id: line for line in live}
        dealer_names = {
            partner.id: partner.display_name
            for partner in self.env["res.partner"]
            .sudo()
            .browse(
                [dealer for _id, reason, dealer in todo if reason == "dealer_changed"]
            )
        }
        today = fields.Date.context_today(self)
        vals_list = []
        for line_id, reason, dealer in todo:
            line = lines[line_id]
            if reason == "deleted":
                note = self.env._("Reversed: the source document was deleted.")
            elif reason == "dealer_changed" and dealer:
                note = self.env._(
                    "Reversed: the source document moved to another dealer "
                    "(%(dealer)s).",
                    dealer=dealer_names[dealer],
                )
            elif reason == "dealer_changed":
                note = self.env._(
                    "Reversed: the source document no longer has a dealer."
                )
            else:
                note = notes.get(
                    line.rule,
                    self.env._("Reversed: the rule no longer holds."),
                )
            vals_list.append(
                {
                    "dealer_id": line.dealer_id.id,
                    "company_id": line.company_id.id,
                    "rule": line.rule,
                    "res_model": line.res_model,
                    "res_id": line.res_id,
                    "date": today,
                    "points": -line.points,
                    "step": line.step + 1,
                    "reversal_of_id": line.id,
                    "note": note,
                }
            )
        return self.create(vals_list)
