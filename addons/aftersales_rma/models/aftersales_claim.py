from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import claim_math

CLAIM_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned to Dealer"),
    ("approved", "Approved"),
    ("partly_approved", "Partly Approved"),
    ("rejected", "Rejected"),
    ("paid", "Paid"),
]

# the states a claim may go to from each state (``_check_transition``)
CLAIM_TRANSITIONS = {
    "draft": {"submitted"},
    "submitted": {"approved", "partly_approved", "rejected", "returned"},
    "returned": {"submitted"},
    "approved": {"paid"},
    "partly_approved": {"paid"},
    "rejected": set(),
    "paid": set(),
}


class AftersalesClaim(models.Model):
    """A dealer's warranty claim: what the dealer asks the brand to reimburse
    for a repair it did under warranty (parts, labour, travel, other)."""

    _name = "aftersales.claim"
    _description = "Dealer Warranty Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "lot_id.name", "invoice_ref"]
    _check_company_auto = True

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="New", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('aftersales_role', 'in', ('dealer', 'distributor'))]",
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket", index="btree_not_null", tracking=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        tracking=True,
        check_company=True,
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", store=True, string="Product", index=True
    )
    failure_date = fields.Date(required=True, tracking=True)
    repair_date = fields.Date(required=True, tracking=True)
    submit_date = fields.Date(readonly=True, copy=False)
    invoice_ref = fields.Char(
        string="Dealer Invoice Reference", index="btree_not_null", tracking=True
    )
    description = fields.Text()
    user_id = fields.Many2one("res.users", string="Adjudicator", index="btree_not_null")
    state = fields.Selection(
        CLAIM_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
    )  # not tracked: _log_states logs the changes of many claims in one batch
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    line_ids = fields.One2many("aftersales.claim.line", "claim_id", copy=True)
    amount_claimed = fields.Monetary(
        string="Total Claimed", compute="_compute_amounts", store=True
    )
    amount_approved = fields.Monetary(
        string="Total Approved", compute="_compute_amounts", store=True
    )
    move_id = fields.Many2one(
        "account.move",
        string="Payment Document",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    payment_state = fields.Selection(
        related="move_id.payment_state", string="Payment Status"
    )
    return_reason = fields.Text(string="Send-Back Reason", tracking=True, copy=False)
    rma_id = fields.Many2one(
        "aftersales.rma",
        string="Faulty Part Return",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    part_return_state = fields.Selection(
        [
            ("none", "Not Asked"),
            ("waiting", "Awaiting the Part"),
            ("received", "Part Received"),
        ],
        compute="_compute_part_return_state",
        store=True,
    )
    finding_ids = fields.One2many(
        "aftersales.claim.finding", "claim_id", string="Findings", copy=False
    )
    suspicious = fields.Boolean(
        compute="_compute_suspicious", store=True, index=True, copy=False
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("dealer_id", "company_id")
    def _compute_currency_id(self):
        """The dealer's currency: the currency of its hourly rate, else of its
        pricelist, else the company's."""
        Rate = self.env["aftersales.labour.rate"]
        for company, claims in self.grouped("company_id").items():
            rates = Rate._hourly_rates_for(claims.dealer_id, company)
            for claim in claims:
                rate = rates.get(claim.dealer_id.id)
                claim.currency_id = (
                    (rate and rate.currency_id)
                    or claim.dealer_id.property_product_pricelist.currency_id
                    or company.currency_id
                )

    @api.depends("line_ids.amount_claimed", "line_ids.amount_approved")
    def _compute_amounts(self):
        for claim in self:
            claim.amount_claimed = sum(claim.line_ids.mapped("amount_claimed"))
            claim.amount_approved = sum(claim.line_ids.mapped("amount_approved"))

    @api.depends("rma_id.state")
    def _compute_part_return_state(self):
        for claim in self:
            if not claim.rma_id:
                claim.part_return_state = "none"
            elif claim.rma_id.state in ("received", "processing", "done"):
                claim.part_return_state = "received"
            else:
                claim.part_return_state = "waiting"

    @api.depends("finding_ids")
    def _compute_suspicious(self):
        for claim in self:
            claim.suspicious = bool(claim.finding_ids)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.claim")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(self.env._("Only draft claims can be deleted."))

    # ------------------------------------------------------------------
    # State changes
    # ------------------------------------------------------------------

    def _check_transition(self, new_state):
        """A UserError naming the claims that cannot go to ``new_state``."""
        wrong = self.filtered(lambda c: new_state not in CLAIM_TRANSITIONS[c.state])
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "A claim cannot go from %(state)s to %(new)s: %(claims)s.",
                    state=", ".join(sorted({labels[s] for s in wrong.mapped("state")})),
                    new=labels[new_state],
                    claims=", ".join(wrong.mapped("name")),
                )
            )

    def _set_state(self, new_state, **values):
        self._check_transition(new_state)
        self.write(dict(values, state=new_state))

    def action_submit(self):
        """Submit draft or returned claims: run the checks, store their findings,
        and approve at once the clean claims under the automatic amount."""
        self._check_transition("submitted")
        empty = self.filtered(lambda c: not c.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "A claim needs at least one cost line: %(claims)s.",
                    claims=", ".join(empty.mapped("name")),
                )
            )
        self.line_ids.write(
            {"decision": "pending", "amount_approved": 0.0, "decision_reason": False}
        )
        self.write(
            {
                "state": "submitted",
                "submit_date": fields.Date.context_today(self),
            }
        )
        self._store_findings()
        self._log_states()
        self._auto_approve()
        return True

    def _store_findings(self):
        findings = self._submit_findings()
        self.finding_ids.unlink()
        self.env["aftersales.claim.finding"].create(
            [
                {"claim_id": claim.id, "check": check, "message": message}
                for claim in self
                for check, message in findings[claim]
            ]
        )

    def _submit_findings(self):
        """``{claim: [(check, message)]}``: what the submission checks found, for
        all claims in a few queries whatever their number."""
        findings = defaultdict(list)
        counting = self.env["aftersales.warranty"]._counting_for_lots(self.lot_id)
        others = self._claims_on_same_units()
        # the other claims by serial and by invoice reference: each claim is
        # compared with its own candidates, not with the whole batch
        by_lot, by_ref = defaultdict(list), defaultdict(list)
        position = {}
        for index, other in enumerate(others):
            position[other.id] = index
            if other.lot_id:
                by_lot[other.lot_id.id].append(other.id)
            if other.invoice_ref:
                by_ref[other.invoice_ref].append(other.id)
        for claim in self:
            found = findings[claim]
            warranty = counting.get(claim.lot_id.id) or self.env["aftersales.warranty"]
            candidate_ids = set(by_lot[claim.lot_id.id]) if claim.lot_id else set()
            if claim.invoice_ref:
                candidate_ids.update(by_ref[claim.invoice_ref])
            candidates = others.browse(sorted(candidate_ids, key=position.get))
            found.extend(claim._check_warranty(warranty))
            found.extend(claim._check_seller(warranty))
            found.extend(claim._check_duplicate(candidates))
            found.extend(claim._check_repeat(candidates))
            found.extend(claim._check_suspicion())
            found.extend(claim._check_hours())
            found.extend(claim._check_late())
        return findings

    def _claims_on_same_units(self):
        """The claims (any state, these included: a batch may hold a duplicate)
        on the serials or with the invoice references of these claims, read in
        one query."""
        domain = []
        lots = self.lot_id
        refs = [ref for ref in self.mapped("invoice_ref") if ref]
        if lots and refs:
            domain += ["|", ("lot_id", "in", lots.ids), ("invoice_ref", "in", refs)]
        elif lots:
            domain += [("lot_id", "in", lots.ids)]
        elif refs:
            domain += [("invoice_ref", "in", refs)]
        else:
            return self.browse()
        # every claim counts as a duplicate, also those the user cannot read
        return (
            self.sudo()
            .search_fetch(
                domain,
                ["name", "lot_id", "invoice_ref", "failure_date", "repair_date"],
            )
            .with_env(self.env)
        )

    def _check_warranty(self, warranty):
        if not self.lot_id:
            return [("warranty", self.env._("The claim names no serial number."))]
        status = warranty._status_on(self.failure_date)
        if status == "in":
            return []
        reason = warranty._decision_for(status)[1]
        return [
            (
                "warranty",
                self.env._(
                    "Not in warranty on the failure date %(date)s: %(reason)s",
                    date=self.failure_date,
                    reason=reason,
                ),
            )
        ]

    def _check_seller(self, warranty):
        """The serial was sold through this dealer or its distributor: the
        registration's dealer or distributor, or the partner of its delivery."""
        if not self.lot_id or not warranty:
            return []
        network = self.dealer_id.commercial_partner_id
        network |= network.aftersales_upstream_id
        sellers = (
            warranty.dealer_id
            | warranty.distributor_id
            | warranty.picking_id.partner_id.commercial_partner_id
        )
        if sellers & network:
            return []
        return [
            (
                "seller",
                self.env._(
                    "The serial was not sold through %(dealer)s or its distributor "
                    "(sold through: %(sellers)s).",
                    dealer=self.dealer_id.display_name,
                    sellers=", ".join(sellers.mapped("display_name"))
                    or self.env._("unknown"),
                ),
            )
        ]

    def _check_duplicate(self, others):
        result = []
        for other in others:
            # only the later claim is the duplicate, not the first one
            if other.id >= self.id:
                continue
            same_unit = (
                self.lot_id
                and other.lot_id == self.lot_id
                and other.failure_date == self.failure_date
            )
            same_invoice = self.invoice_ref and other.invoice_ref == self.invoice_ref
            if same_unit or same_invoice:
                result.append(
                    (
                        "duplicate",
                        self.env._(
                            "Duplicate of %(claim)s (%(what)s).",
                            claim=other.name,
                            what=self.env._("same serial and failure date")
                            if same_unit
                            else self.env._("same invoice reference"),
                        ),
                    )
                )
        return result

    def _check_repeat(self, others):
        days = self.company_id.aftersales_claim_repeat_days
        if not days or not self.lot_id:
            return []
        window = timedelta(days=days)
        result = []
        for other in others:
            if (
                other.id < self.id
                and other.lot_id == self.lot_id
                and other.failure_date != self.failure_date
                and other.repair_date
                and abs(self.repair_date - other.repair_date) <= window
            ):
                result.append(
                    (
                        "repeat",
                        self.env._(
                            "Repeat repair: %(claim)s repaired this serial on "
                            "%(date)s, within %(days)s days.",
                            claim=other.name,
                            date=other.repair_date,
                            days=days,
                        ),
                    )
                )
        return result

    def _check_suspicion(self):
        """The suspicious-claim reasons of the warranty engine on the ticket."""
        # the ticket's reasons count even when the user cannot read that ticket
        ticket_sudo = self.ticket_id.sudo()
        if not ticket_sudo.warranty_suspicious:
            return []
        return [
            ("suspicion", reason)
            for reason in (ticket_sudo.warranty_suspicion or "").splitlines()
            if reason.strip()
        ]

    def _check_hours(self):
        result = []
        for line in self.line_ids.filtered(lambda ln: ln.cost_type == "labour"):
            above = claim_math.hours_above_flat(line.flat_hours, line.hours)
            if above or (line.hours and not line.flat_hours):
                result.append(
                    (
                        "hours",
                        self.env._(
                            "%(hours)s hours claimed, %(above)s above the flat-rate "
                            "time of %(flat)s hours (%(reason)s).",
                            hours=line.hours,
                            above=above if line.flat_hours else line.hours,
                            flat=line.flat_hours,
                            reason=line.extra_reason or "",
                        ),
                    )
                )
        return result

    def _check_late(self):
        window = self.company_id.aftersales_claim_window_days
        if not claim_math.is_late(self.repair_date, self.submit_date, window):
            return []
        return [
            (
                "late",
                self.env._(
                    "Submitted on %(submitted)s, after the window of %(days)s days "
                    "from the repair (%(deadline)s).",
                    submitted=self.submit_date,
                    days=window,
                    deadline=claim_math.submission_deadline(self.repair_date, window),
                ),
            )
        ]

    # ------------------------------------------------------------------
    # Adjudication
    # ------------------------------------------------------------------

    def _amount_company(self, amount):
        return self.currency_id._convert(
            amount,
            self.company_id.currency_id,
            self.company_id,
            self.submit_date or fields.Date.context_today(self),
        )

    def _auto_approve(self):
        """Approve the clean submitted claims (no finding) up to the company's
        automatic approval amount."""
        clean = self.filtered(
            lambda c: (
                c.state == "submitted"
                and not c.finding_ids
                and c.company_id.aftersales_claim_auto_amount
                and c._amount_company(c.amount_claimed)
                <= c.company_id.aftersales_claim_auto_amount
            )
        )
        if not clean:
            return
        clean.line_ids.write({"decision": "approved"})
        clean.write({"state": "approved", "user_id": self.env.user.id})
        clean._log_states(self.env._("Approved automatically: no finding."))
        clean._request_faulty_parts()

    def action_adjudicate(self):
        """Close the decision on submitted claims from the decisions of their
        lines: approved, partly approved or rejected."""
        self._check_transition("approved")
        undecided = self.filtered(
            lambda c: any(ln.decision == "pending" for ln in c.line_ids)
        )
        if undecided:
            raise UserError(
                self.env._(
                    "Decide every line first: %(claims)s.",
                    claims=", ".join(undecided.mapped("name")),
                )
            )
        self.line_ids._check_decisions()
        if not self.env.user.has_group("aftersales_service.aftersales_group_manager"):
            above = self.filtered(
                lambda c: (
                    c.company_id.aftersales_claim_manager_limit
                    and c._amount_company(c.amount_approved)
                    > c.company_id.aftersales_claim_manager_limit
                )
            )
            if above:
                raise UserError(
                    self.env._(
                        "An after-sales manager must approve claims above "
                        "%(limit)s: %(claims)s.",
                        limit=above[0].company_id.aftersales_claim_manager_limit,
                        claims=", ".join(above.mapped("name")),
                    )
                )
        by_state = defaultdict(lambda: self.browse())
        for claim in self:
            by_state[
                claim_math.adjudication_state(claim.line_ids.mapped("decision"))
            ] |= claim
        for state, claims in by_state.items():
            claims.write({"state": state, "user_id": self.env.user.id})
        self._log_states()
        self._request_faulty_parts()
        return True

    def _log_states(self, reason=None):
        """One chatter note per claim with its new state, in one batch."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        bodies = {}
        for claim in self:
            body = self.env._("Status: %(state)s", state=labels[claim.state])
            if reason:
                body = self.env._("%(status)s. %(reason)s", status=body, reason=reason)
            bodies[claim.id] = body
        self._message_log_batch(bodies=bodies)

    def action_return(self, reason):
        """Send submitted claims back to the dealer with ``reason``; the dealer
        corrects and submits again."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the claim is sent back."))
        self._set_state("returned", return_reason=reason)
        self._log_states(reason)
        return True

    def action_open_return_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Back to the Dealer"),
            "res_model": "aftersales.claim.return.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_ids": [Command.set(self.ids)]},
        }

    # ------------------------------------------------------------------
    # Faulty part return
    # ------------------------------------------------------------------

    def _request_faulty_parts(self):
        """For approved claims whose warranty policy asks for the faulty part:
        an RMA from the dealer for the approved causal parts, approved and its
        receipt requested (the RMA flow of the backend)."""
        counting = self.env["aftersales.warranty"]._counting_for_lots(self.lot_id)
        vals_list, claims = [], self.browse()
        for claim in self:
            warranty = counting.get(claim.lot_id.id)
            parts = claim.line_ids.filtered(
                lambda ln: (
                    ln.cost_type == "parts"
                    and ln.is_causal
                    and ln.product_id
                    and ln.decision in ("approved", "reduced")
                )
            )
            if (
                claim.state in ("approved", "partly_approved")
                and not claim.rma_id
                and warranty
                and warranty.policy_id.return_faulty_part
                and parts
            ):
                vals_list.append(claim._prepare_rma_vals(parts))
                claims |= claim
        if not vals_list:
            return
        # sudo: the adjudicator approved the claim (write access checked by the
        # state change above); the return it implies needs no RMA or stock rights
        rmas = self.env["aftersales.rma"].sudo().create(vals_list)
        rmas._approve(note=self.env._("Faulty part asked back by the warranty policy."))
        rmas._request_return()
        for claim, rma in zip(claims, rmas, strict=True):
            claim.rma_id = rma.id

    def _prepare_rma_vals(self, parts):
        """Values of the RMA that brings the faulty ``parts`` of this claim back
        from the dealer."""
        self.ensure_one()
        return {
            "partner_id": self.dealer_id.commercial_partner_id.id,
            "dealer_id": self.dealer_id.id,
            "ticket_id": self.ticket_id.id,
            "company_id": self.company_id.id,
            "user_id": self.env.user.id,
            "description": self.env._(
                "Faulty part of claim %(claim)s (%(serial)s)",
                claim=self.name,
                serial=self.lot_id.name or "",
            ),
            "line_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "quantity": line.quantity,
                        "reason": "defective",
                        "reason_note": line.replaced_serial,
                        "disposition": "scrap",
                    }
                )
                for line in parts
            ],
        }

    # ------------------------------------------------------------------
    # Payment
    # ------------------------------------------------------------------

    def _check_payable(self):
        """A UserError naming the claims that cannot be paid: not approved,
        already on a bill, nothing approved, or waiting for the faulty part."""
        wrong = self.filtered(
            lambda c: (
                c.state not in ("approved", "partly_approved")
                or c.move_id
                or c.currency_id.is_zero(c.amount_approved)
                or (
                    c.part_return_state == "waiting"
                    and not c.company_id.aftersales_claim_pay_before_return
                )
            )
        )
        if wrong:
            raise UserError(
                self.env._(
                    "These claims cannot be paid (not approved, already billed, "
                    "nothing approved or the faulty part not yet received): "
                    "%(claims)s.",
                    claims=", ".join(wrong.mapped("name")),
                )
            )

    def action_create_bills(self, invoice_date=None):
        """Pay approved claims: one document per dealer and currency, one line
        per claim, linked both ways; the document is a vendor bill, or a credit
        note on the dealer's customer account when its *Claims Paid By* says so.
        Returns the documents (drafts)."""
        if not self.env.user.has_group("aftersales_rma.aftersales_group_finance"):
            raise AccessError(self.env._("Only a finance user can pay dealer claims."))
        self.check_access("write")
        self._check_payable()
        invoice_date = invoice_date or fields.Date.context_today(self)
        groups = defaultdict(lambda: self.browse())
        for claim in self:
            dealer = claim.dealer_id.commercial_partner_id
            key = (
                claim.company_id,
                dealer,
                claim.currency_id,
                dealer.aftersales_claim_payment_method or "bill",
            )
            groups[key] |= claim
        vals_list, claim_groups = [], []
        for (company, dealer, currency, method), claims in groups.items():
            vals_list.append(
                claims._prepare_bill_vals(
                    company, dealer, currency, invoice_date, method=method
                )
            )
            claim_groups.append(claims)
        # one create: the lines of all documents are computed together
        moves = self.env["account.move"].create(vals_list)
        by_move = defaultdict(list)
        for move, claims in zip(moves, claim_groups, strict=True):
            by_move[move.id].extend(claims.ids)
        for move_id, claim_ids in by_move.items():
            # move_id is not tracked: no tracking to prepare claim by claim
            self.browse(claim_ids).with_context(mail_notrack=True).write(
                {"move_id": move_id}
            )
        names = {move.id: move.display_name for move in moves}
        self._message_log_batch(
            bodies={
                claim.id: self.env._(
                    "Billed on %(bill)s.", bill=names[claim.move_id.id]
                )
                for claim in self
            }
        )
        return moves

    def _prepare_bill_vals(
        self, company, dealer, currency, invoice_date, method="bill"
    ):
        """Values of the document of ``dealer`` paying these claims: a vendor
        bill (``method`` ``bill``) or a credit note on its customer account
        (``credit_note``), booked on the claim product's expense account."""
        product = company.aftersales_claim_product_id or self.env.ref(
            "aftersales_rma.product_claim_reimbursement"
        )
        accounts = product.product_tmpl_id.with_company(company).get_product_accounts()
        account = accounts.get("expense")
        line_extra = {}
        if method == "credit_note" and account:
            # a credit note takes the income account by default: the claims are
            # an expense of the warranty, not less revenue
            line_extra["account_id"] = account.id
        # the analytic rules that apply, found once for the document: left to
        # the bill's lines, Odoo looks them up line by line (a query per claim)
        line_extra["analytic_distribution"] = (
            self.env["account.analytic.distribution.model"]._get_distribution(
                {
                    "product_id": product.id,
                    "product_categ_id": product.categ_id.id,
                    "partner_id": dealer.id,
                    "partner_category_id": dealer.category_id.ids,
                    "account_prefix": account.code if account else False,
                    "company_id": company.id,
                }
            )
            or False
        )
        return {
            "move_type": "out_refund" if method == "credit_note" else "in_invoice",
            "company_id": company.id,
            "partner_id": dealer.id,
            "currency_id": currency.id,
            "invoice_date": invoice_date,
            "ref": self.env._(
                "Warranty claims %(claims)s", claims=", ".join(self.mapped("name"))
            ),
            "invoice_line_ids": [
                Command.create(
                    dict(
                        line_extra,
                        product_id=product.id,
                        name=self.env._(
                            "Warranty claim %(claim)s, serial %(serial)s",
                            claim=claim.name,
                            serial=claim.lot_id.name or "-",
                        ),
                        quantity=1.0,
                        price_unit=claim.amount_approved,
                        tax_ids=[Command.clear()],
                        aftersales_claim_id=claim.id,
                    )
                )
                for claim in self
            ],
        }

    def _set_paid(self):
        self._check_transition("paid")
        self.write({"state": "paid"})
        self._log_states()

    def action_open_payment_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pay Claims"),
            "res_model": "aftersales.claim.payment.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_ids": [Command.set(self.ids)]},
        }

    def action_view_bill(self):
        self.ensure_one()
        return self.move_id._get_records_action(name=self.env._("Payment Document"))
