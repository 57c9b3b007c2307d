from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.rates import RateCache
from ..tools.recovery_ratio import period_start, recovered_amount

RECOVERY_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("disputed", "Disputed"),
    ("accepted", "Accepted"),
    ("credited", "Credited"),
    ("rejected", "Rejected"),
]

# the states a recovery may go to from each state (``_check_transition``)
RECOVERY_TRANSITIONS = {
    "draft": {"sent"},
    "sent": {"accepted", "disputed", "rejected"},
    "disputed": {"sent", "accepted", "rejected"},
    "accepted": {"credited"},
    "credited": set(),
    "rejected": set(),
}


class AftersalesRecovery(models.Model):
    """A claim on a supplier: its share (the responsibility ratio) of the
    warranty costs of the cases on units it delivered, one claim per supplier,
    currency and month. Accepted, it becomes a draft vendor credit note;
    disputed and rejected claims stay listed with their reason."""

    _name = "aftersales.recovery"
    _description = "Supplier Recovery"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="New", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    currency_id = fields.Many2one("res.currency", required=True)
    date_from = fields.Date(string="Period Start", required=True, index=True)
    date_to = fields.Date(string="Period End", required=True)
    state = fields.Selection(
        RECOVERY_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    reason = fields.Text(
        string="Dispute or Rejection Reason",
        tracking=True,
        copy=False,
        help="What the supplier disputes or why it rejected the claim.",
    )
    line_ids = fields.One2many(
        "aftersales.recovery.line", "recovery_id", string="Lines"
    )
    amount_cost = fields.Monetary(
        string="Warranty Cost",
        currency_field="company_currency_id",
        compute="_compute_amounts",
        store=True,
        help="The warranty cost of the lines' cases, in company currency.",
    )
    amount_total = fields.Monetary(
        string="Amount Claimed", compute="_compute_amounts", store=True
    )
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_amounts",
        store=True,
    )
    ratio = fields.Float(
        string="Ratio (%)",
        compute="_compute_amounts",
        store=True,
        aggregator="avg",
        help="The share of the warranty cost claimed (the lines' ratios weighted "
        "by their cost).",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    move_id = fields.Many2one(
        "account.move",
        string="Vendor Credit Note",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    quality_alert_id = fields.Many2one(
        "aftersales.quality.alert",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    ticket_ids = fields.Many2many(
        "aftersales.ticket", string="Cases", compute="_compute_cases"
    )
    lot_ids = fields.Many2many("stock.lot", string="Serials", compute="_compute_cases")
    ticket_count = fields.Integer(string="Case Count", compute="_compute_cases")

    @api.depends("line_ids.cost_amount", "line_ids.amount", "line_ids.amount_company")
    def _compute_amounts(self):
        for recovery in self:
            lines = recovery.line_ids
            recovery.amount_cost = sum(lines.mapped("cost_amount"))
            recovery.amount_total = sum(lines.mapped("amount"))
            recovery.amount_company = sum(lines.mapped("amount_company"))
            recovery.ratio = (
                100.0 * recovery.amount_company / recovery.amount_cost
                if recovery.amount_cost
                else 0.0
            )

    @api.depends("line_ids.ticket_id", "line_ids.lot_id")
    def _compute_cases(self):
        for recovery in self:
            recovery.ticket_ids = recovery.line_ids.ticket_id
            recovery.lot_ids = recovery.line_ids.lot_id
            recovery.ticket_count = len(recovery.ticket_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "aftersales.recovery"
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(recovery.state != "draft" for recovery in self):
            raise UserError(self.env._("Only draft recoveries can be deleted."))

    # ------------------------------------------------------------------
    # Proposing the recoveries
    # ------------------------------------------------------------------

    @api.model
    def _cron_propose(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company)._propose(company)

    def action_propose(self):
        """Propose the recoveries of the current companies (menu action)."""
        recoveries = self.browse()
        for company in self.env.companies:
            recoveries |= self.with_company(company)._propose(company)
        if not recoveries:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "No warranty cost of a unit with a known supplier and "
                        "ratio is waiting for a recovery."
                    ),
                },
            }
        return recoveries._get_records_action(name=self.env._("Supplier Recoveries"))

    @api.model
    def _propose(self, company, domain=None, quality_alert=None):
        """Add the warranty-paid cost lines of ``company`` not claimed yet whose
        case's serial came from a supplier with a ratio to the draft recovery
        of that supplier, currency and month (made when missing). Returns the
        recoveries that got lines."""
        CostLine = self.env["aftersales.cost.line"]
        cost_lines = CostLine.search(
            [
                ("company_id", "=", company.id),
                ("payer", "=", "warranty"),
                ("ticket_id.lot_id", "!=", False),
                ("recovery_line_ids", "=", False),
            ]
            + (domain or [])
        )
        if not cost_lines:
            return self.browse()
        lots = cost_lines.ticket_id.lot_id
        supplier_of = self.env["aftersales.quality.alert"]._supplier_by_lot(lots.ids)
        Partner = self.env["res.partner"].with_company(company)
        candidates = []
        for line in cost_lines:
            lot = line.ticket_id.lot_id
            if lot.id in supplier_of:
                supplier = Partner.browse(supplier_of[lot.id]).commercial_partner_id
                candidates.append((line, lot, supplier))
        ratios = self.env["aftersales.recovery.ratio"]._ratios_for(
            {(supplier, lot.product_id) for __, lot, supplier in candidates}, company
        )
        groups = defaultdict(list)
        rates = RateCache(self.env)
        for line, lot, supplier in candidates:
            ratio = ratios[supplier.id, lot.product_id.id]
            if not ratio:
                continue
            currency = supplier.property_purchase_currency_id or company.currency_id
            cost = recovered_amount(line.amount_company, ratio)
            groups[supplier, currency, period_start(line.date)].append(
                self._prepare_line_vals(
                    line,
                    lot,
                    ratio,
                    rates.convert(
                        cost, company.currency_id, currency, company, line.date
                    ),
                    company.currency_id.round(cost),
                )
            )
        if not groups:
            return self.browse()
        drafts = {
            (recovery.partner_id, recovery.currency_id, recovery.date_from): recovery
            for recovery in self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "draft"),
                    ("partner_id", "in", [key[0].id for key in groups]),
                ]
            )
        }
        new_vals, touched = [], self.browse()
        for (supplier, currency, start), lines_vals in groups.items():
            draft = drafts.get((supplier, currency, start))
            if draft:
                draft.write({"line_ids": [Command.create(v) for v in lines_vals]})
                touched |= draft
            else:
                vals = self._prepare_recovery_vals(company, supplier, currency, start)
                vals["line_ids"] = [Command.create(v) for v in lines_vals]
                new_vals.append(vals)
        recoveries = touched | self.create(new_vals)
        if quality_alert:
            recoveries.filtered(lambda r: not r.quality_alert_id).write(
                {"quality_alert_id": quality_alert.id}
            )
        return recoveries

    @api.model
    def _prepare_recovery_vals(self, company, supplier, currency, start):
        return {
            "company_id": company.id,
            "partner_id": supplier.id,
            "currency_id": currency.id,
            "date_from": start,
            "date_to": start + relativedelta(months=1, days=-1),
        }

    @api.model
    def _prepare_line_vals(self, cost_line, lot, ratio, amount, amount_company):
        return {
            "cost_line_id": cost_line.id,
            "lot_id": lot.id,
            "ratio": ratio,
            "amount": amount,
            "amount_company": amount_company,
        }

    # ------------------------------------------------------------------
    # State changes
    # ------------------------------------------------------------------

    def _check_transition(self, new_state):
        wrong = self.filtered(lambda r: new_state not in RECOVERY_TRANSITIONS[r.state])
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "A recovery cannot go from %(state)s to %(new)s: %(recoveries)s.",
                    state=", ".join(sorted({labels[s] for s in wrong.mapped("state")})),
                    new=labels[new_state],
                    recoveries=", ".join(wrong.mapped("name")),
                )
            )

    def _check_reason(self):
        missing = self.filtered(lambda r: not (r.reason or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Write down the supplier's reason first: %(recoveries)s.",
                    recoveries=", ".join(missing.mapped("name")),
                )
            )

    def action_send(self):
        self._check_transition("sent")
        empty = self.filtered(lambda r: not r.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "A recovery needs at least one line: %(recoveries)s.",
                    recoveries=", ".join(empty.mapped("name")),
                )
            )
        self.write({"state": "sent"})
        return True

    def action_dispute(self, reason=None):
        self._check_transition("disputed")
        if reason:
            self.write({"reason": reason})
        self._check_reason()
        self.write({"state": "disputed"})
        return True

    def action_reject(self, reason=None):
        self._check_transition("rejected")
        if reason:
            self.write({"reason": reason})
        self._check_reason()
        self.write({"state": "rejected"})
        return True

    def action_accept(self):
        """The supplier accepts: a draft vendor credit note per recovery, linked
        both ways (finance users only)."""
        if not (
            self.env.su
            or self.env.user.has_group("aftersales_rma.aftersales_group_finance")
        ):
            raise AccessError(
                self.env._("Only a finance user can book a supplier's credit note.")
            )
        self.check_access("write")
        self._check_transition("accepted")
        moves = self.env["account.move"].create(
            [recovery._prepare_credit_note_vals() for recovery in self]
        )
        for recovery, move in zip(self, moves, strict=True):
            recovery.write({"state": "accepted", "move_id": move.id})
        return moves

    def _prepare_credit_note_vals(self):
        """Values of the draft vendor credit note of this accepted recovery."""
        self.ensure_one()
        product = self.env.ref("aftersales_rma.product_supplier_recovery")
        return {
            "move_type": "in_refund",
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self.env._("Supplier recovery %(name)s", name=self.name),
            "aftersales_recovery_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "name": self.env._(
                            "Case %(case)s, serial %(serial)s: %(cost)s",
                            case=line.ticket_id.name,
                            serial=line.lot_id.name,
                            cost=line.cost_line_id.name,
                        ),
                        "quantity": 1.0,
                        "price_unit": line.amount,
                        "tax_ids": [Command.clear()],
                    }
                )
                for line in self.line_ids
            ],
        }

    def _set_credited(self):
        self.filtered(lambda r: r.state == "accepted").write({"state": "credited"})

    def action_view_credit_note(self):
        self.ensure_one()
        return self.move_id._get_records_action(name=self.env._("Vendor Credit Note"))

    def action_view_tickets(self):
        self.ensure_one()
        return self.ticket_ids._get_records_action(name=self.env._("Cases"))
