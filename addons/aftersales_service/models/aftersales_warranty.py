from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..const import WARRANTY_LIVE_STATES, WARRANTY_STATES
from ..tools.warranty import warranty_decision, warranty_status

# registrations expired per run of the expiry cron (it is called again while
# some remain)
EXPIRE_BATCH_SIZE = 5000


class AftersalesWarranty(models.Model):
    """A warranty registration of one serial number."""

    _name = "aftersales.warranty"
    _description = "Warranty Registration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "registration_date desc, id desc"
    _rec_names_search = ["lot_id.name", "partner_id.name", "invoice_ref"]
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", store=True, index=True, string="Product"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        precompute=True,
        index=True,
        help="The customer's company (its commercial partner): whose documents an "
        "end customer sees on the portal, in one indexed comparison.",
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    dealer_id = fields.Many2one(
        "res.partner",
        string="Selling Dealer",
        index=True,
        tracking=True,
        check_company=True,
    )
    dealer_path = fields.Char(related="dealer_id.aftersales_path", store=True)
    distributor_id = fields.Many2one(
        "res.partner",
        string="Top Distributor",
        compute="_compute_distributor_id",
        store=True,
        index=True,
    )
    sale_order_id = fields.Many2one("sale.order", index="btree_not_null", copy=False)
    picking_id = fields.Many2one("stock.picking", string="Delivery", copy=False)
    purchase_date = fields.Date()
    purchase_place = fields.Char(string="Place of Purchase")
    invoice_ref = fields.Char(string="Invoice Reference")
    proof_attachment_ids = fields.Many2many("ir.attachment", string="Proof of Purchase")
    registration_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    delivery_date = fields.Date(tracking=True)
    invoice_date = fields.Date()
    installation_date = fields.Date(tracking=True)
    policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Rule",
        compute="_compute_policy_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    extension_ids = fields.One2many("aftersales.warranty.extension", "warranty_id")
    extension_months = fields.Integer(compute="_compute_dates", store=True)
    late_registration = fields.Boolean(
        compute="_compute_dates",
        store=True,
        help=(
            "Registered after the rule's registration window: the late duration "
            "applies."
        ),
    )
    date_start = fields.Date(
        compute="_compute_dates", store=True, index=True, tracking=True
    )
    date_end = fields.Date(
        compute="_compute_dates", store=True, index=True, tracking=True
    )
    parts_coverage = fields.Float(
        compute="_compute_coverage", store=True, string="Parts (%)"
    )
    labour_coverage = fields.Float(
        compute="_compute_coverage", store=True, string="Labour (%)"
    )
    travel_coverage = fields.Float(
        compute="_compute_coverage", store=True, string="Travel (%)"
    )
    currency_id = fields.Many2one(related="policy_id.currency_id", string="Currency")
    deductible_amount = fields.Monetary(
        related="policy_id.deductible_amount",
        currency_field="currency_id",
        string="Deductible",
    )
    state = fields.Selection(
        WARRANTY_STATES,
        default="active",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    source = fields.Selection(
        [
            ("delivery", "Delivery"),
            ("dealer", "Dealer"),
            ("customer", "Customer"),
            ("import", "Import"),
            ("api", "API"),
        ],
        default="dealer",
        required=True,
        index=True,
    )
    void_reason = fields.Text(readonly=True, copy=False)
    ticket_ids = fields.One2many("aftersales.ticket", "warranty_id", string="Tickets")

    def init(self):
        res = super().init()
        # one live registration per serial number, whatever the concurrency
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS aftersales_warranty_lot_live_uniq
                    ON aftersales_warranty (lot_id) WHERE state IN %s
                """,
                WARRANTY_LIVE_STATES,
            )
        )
        tools.create_index(
            self.env.cr,
            "aftersales_warranty_dealer_path_prefix_index",
            self._table,
            ["dealer_path varchar_pattern_ops"],
            where="dealer_path IS NOT NULL",
        )
        self._init_check_serial_function()
        return res

    def _init_check_serial_function(self):
        """The query of ``check_serial`` as a PL/pgSQL function: PostgreSQL keeps
        its plan per connection, so a call costs the index look-ups only, not
        the planning of a seven-table query (about 2 ms, more than the rest of
        the call). The registration that counts: the live one, else the newest
        (as ``_counting_for_lots``)."""
        self.env.cr.execute(
            SQL(
                """
                DROP FUNCTION IF EXISTS aftersales_warranty_check_serial(
                    varchar, integer[], text, integer);
                CREATE FUNCTION aftersales_warranty_check_serial(
                    p_serial varchar, p_companies integer[], p_lang text,
                    p_uid integer)
                RETURNS TABLE (
                    o_state text, o_date_start date, o_date_end date,
                    o_parts float8, o_labour float8, o_travel float8,
                    o_code text, o_product text, o_policy text,
                    o_deductible float8, o_currency text, o_dealer text,
                    o_tz text)
                LANGUAGE plpgsql STABLE AS $function$
                #variable_conflict use_column
                BEGIN
                    RETURN QUERY
                    SELECT w.state::text, w.date_start, w.date_end,
                           w.parts_coverage::float8, w.labour_coverage::float8,
                           w.travel_coverage::float8,
                           pp.default_code::text,
                           COALESCE(pt.name->>p_lang, pt.name->>'en_US'),
                           COALESCE(pol.name->>p_lang, pol.name->>'en_US'),
                           pol.deductible_amount::float8, cur.name::text,
                           dealer.name::text,
                           (SELECT up.tz::text FROM res_users u
                              JOIN res_partner up ON up.id = u.partner_id
                             WHERE u.id = p_uid)
                      FROM stock_lot lot
                      JOIN aftersales_warranty w ON w.lot_id = lot.id
                      JOIN product_product pp ON pp.id = w.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 LEFT JOIN aftersales_warranty_policy pol ON pol.id = w.policy_id
                 LEFT JOIN res_currency cur ON cur.id = pol.currency_id
                 LEFT JOIN res_partner dealer ON dealer.id = w.dealer_id
                     WHERE lot.name = p_serial AND w.company_id = ANY(p_companies)
                  ORDER BY w.state IN %(live)s DESC, w.id DESC
                     LIMIT 1;
                END
                $function$
                """,
                live=WARRANTY_LIVE_STATES,
            )
        )

    @api.depends("lot_id", "product_id")
    def _compute_display_name(self):
        for warranty in self:
            warranty.display_name = (
                f"{warranty.lot_id.name} ({warranty.product_id.display_name})"
                if warranty.lot_id
                else self.env._("New Registration")
            )

    @api.depends("partner_id")
    def _compute_country_id(self):
        for warranty in self:
            if warranty.partner_id:
                warranty.country_id = warranty.partner_id._aftersales_country()

    @api.depends("dealer_id.aftersales_path")
    def _compute_distributor_id(self):
        for warranty in self:
            warranty.distributor_id = warranty.dealer_id._aftersales_top_distributor()

    @api.depends("product_id", "country_id", "company_id")
    def _compute_policy_id(self):
        Policy = self.env["aftersales.warranty.policy"]
        for company, warranties in self.grouped("company_id").items():
            found = Policy._find_batch(
                company, [(w.product_id, w.country_id) for w in warranties]
            )
            for warranty in warranties:
                warranty.policy_id = found[(warranty.product_id, warranty.country_id)]

    @api.depends(
        "policy_id.duration_months",
        "policy_id.start_basis",
        "policy_id.registration_window_days",
        "policy_id.fallback_months",
        "registration_date",
        "delivery_date",
        "invoice_date",
        "installation_date",
        "extension_ids.months",
    )
    def _compute_dates(self):
        for warranty in self:
            policy = warranty.policy_id
            warranty.extension_months = sum(warranty.extension_ids.mapped("months"))
            if not policy:
                warranty.date_start = warranty.date_end = False
                warranty.late_registration = False
                continue
            basis = {
                "delivery": warranty.delivery_date,
                "invoice": warranty.invoice_date,
                "registration": warranty.registration_date,
                "installation": warranty.installation_date,
            }[policy.start_basis]
            start = basis or warranty.delivery_date or warranty.registration_date
            months = policy.duration_months
            warranty.late_registration = bool(
                policy.registration_window_days
                and warranty.delivery_date
                and warranty.registration_date
                > warranty.delivery_date
                + timedelta(days=policy.registration_window_days)
            )
            if warranty.late_registration:
                months = policy.fallback_months
            warranty.date_start = start
            warranty.date_end = (
                start
                + relativedelta(months=months + warranty.extension_months)
                - timedelta(days=1)
            )

    @api.depends(
        "policy_id.parts_coverage",
        "policy_id.labour_coverage",
        "policy_id.travel_coverage",
        "extension_ids.parts_coverage",
        "extension_ids.labour_coverage",
        "extension_ids.change_coverage",
    )
    def _compute_coverage(self):
        for warranty in self:
            policy = warranty.policy_id
            parts, labour, travel = (
                policy.parts_coverage,
                policy.labour_coverage,
                policy.travel_coverage,
            )
            for extension in warranty.extension_ids.sorted("id"):
                if extension.change_coverage:
                    parts, labour = extension.parts_coverage, extension.labour_coverage
            warranty.parts_coverage, warranty.labour_coverage = parts, labour
            warranty.travel_coverage = travel

    @api.constrains("lot_id", "state")
    def _check_one_live_per_serial(self):
        live = self.filtered(lambda w: w.state in WARRANTY_LIVE_STATES)
        if not live:
            return
        groups = self.sudo()._read_group(
            [("lot_id", "in", live.lot_id.ids), ("state", "in", WARRANTY_LIVE_STATES)],
            ["lot_id"],
            ["__count"],
        )
        for lot, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "Serial number %(serial)s already has a warranty registration; "
                        "void it before registering it again.",
                        serial=lot.name,
                    )
                )

    @api.constrains("product_id")
    def _check_serial_tracked(self):
        for warranty in self:
            if warranty.product_id.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "Warranty registrations are per serial number: product "
                        "%(product)s is not tracked by serial number.",
                        product=warranty.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        default_state = self.default_get(["state"]).get("state")
        if any(vals.get("state", default_state) == "void" for vals in vals_list):
            self._check_can_void()
        self._check_live_serials(
            [
                vals.get("lot_id")
                for vals in vals_list
                if vals.get("state", default_state) in WARRANTY_LIVE_STATES
            ]
        )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") == "void":
            self._check_can_void()
        if vals.get("lot_id") or vals.get("state") in WARRANTY_LIVE_STATES:
            live = self.filtered(
                lambda w: vals.get("state", w.state) in WARRANTY_LIVE_STATES
            )
            self._check_live_serials(
                [vals.get("lot_id") or warranty.lot_id.id for warranty in live],
                exclude=live,
            )
        return super().write(vals)

    def _check_live_serials(self, lot_ids, exclude=None):
        """Refuse a second live registration of a serial with a readable error
        before the partial unique index refuses the row in the database (the
        ``@api.constrains`` check runs after the INSERT/UPDATE: too late)."""
        lot_ids = [lot_id for lot_id in lot_ids if lot_id]
        if not lot_ids:
            return
        # search() flushes pending changes of lot_id/state first (a void, an expiry)
        taken = (
            self.sudo()
            .search(
                [
                    ("lot_id", "in", lot_ids),
                    ("state", "in", WARRANTY_LIVE_STATES),
                    ("id", "not in", exclude.ids if exclude else []),
                ],
                limit=1,
            )
            .lot_id
        )
        seen = set()
        twice = [lot_id for lot_id in lot_ids if lot_id in seen or seen.add(lot_id)]
        lot = taken or self.env["stock.lot"].browse(twice[:1])
        if lot:
            raise ValidationError(
                self.env._(
                    "Serial number %(serial)s already has a warranty registration; "
                    "void it before registering it again.",
                    serial=lot.sudo().name,
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_activate(self):
        for warranty in self:
            if warranty.state != "draft":
                raise UserError(
                    self.env._("Only registrations awaiting proof can be activated.")
                )
            if (
                warranty.source in ("dealer", "customer")
                and not warranty.proof_attachment_ids
            ):
                raise UserError(
                    self.env._(
                        "Attach the proof of purchase of %(serial)s before "
                        "activating its warranty.",
                        serial=warranty.lot_id.name,
                    )
                )
        self.write({"state": "active"})

    @api.model
    def _check_can_void(self):
        """Voiding is a manager's act, whatever the path (the button, a write of
        ``state``, an import, RPC): refuse it to everyone else."""
        if not (
            self.env.su
            or self.env.user.has_group("aftersales_service.aftersales_group_manager")
        ):
            raise AccessError(
                self.env._("Only after-sales managers can void a warranty.")
            )

    def action_void(self, reason):
        self._check_can_void()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for voiding the warranty."))
        if any(warranty.state == "void" for warranty in self):
            raise UserError(self.env._("This warranty is already void."))
        self.write({"state": "void", "void_reason": reason})
        for warranty in self:
            warranty.message_post(
                body=self.env._("Warranty voided: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )

    def action_transfer(self, new_partner, note=False):
        self.ensure_one()
        if self.state not in WARRANTY_LIVE_STATES:
            raise UserError(self.env._("Only a live warranty can be transferred."))
        if not self.policy_id.transferable:
            raise UserError(
                self.env._(
                    "The warranty rule %(rule)s does not allow transferring the "
                    "warranty to a new owner.",
                    rule=self.policy_id.display_name or self.env._("(none)"),
                )
            )
        if new_partner == self.partner_id:
            raise UserError(
                self.env._("The warranty already belongs to this customer.")
            )
        previous = self.partner_id
        self.partner_id = new_partner
        self.message_post(
            body=self.env._(
                "Ownership transferred from %(old)s to %(new)s. %(note)s",
                old=previous.display_name or "-",
                new=new_partner.display_name,
                note=note or "",
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_open_void_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Void Warranty"),
            "res_model": "aftersales.warranty.void",
            "view_mode": "form",
            "target": "new",
            "context": {"default_warranty_id": self.id},
        }

    def action_open_transfer_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer Warranty"),
            "res_model": "aftersales.warranty.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_warranty_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _counting_for_lots(self, lots):
        """``{lot id: registration}``: the registration that counts for each of
        ``lots`` (one query, whatever the number of serials).

        The rule (README, "Which registration counts"): the serial's live
        registration (awaiting proof or active; there is at most one), else its
        newest one (expired or void). A serial without registration is not in the
        dict. The registrations are returned as superuser: the warranty of a
        serial is shown to the users of tickets, RMAs and serials without the
        right to read every registration.
        """
        if not lots:
            return {}
        warranties = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("lot_id", "in", lots.ids)],
                [
                    "lot_id",
                    "state",
                    "date_start",
                    "date_end",
                    "parts_coverage",
                    "labour_coverage",
                    "policy_id",
                ],
                order="id desc",
            )
        )
        counting = {}
        for warranty in warranties:
            current = counting.get(warranty.lot_id.id)
            if current is None or (
                warranty.state in WARRANTY_LIVE_STATES
                and current.state not in WARRANTY_LIVE_STATES
            ):
                counting[warranty.lot_id.id] = warranty
        return counting

    def _status_on(self, on_date):
        """Warranty status (``WARRANTY_STATUSES``) given by this registration on a
        date; ``unknown`` for no registration (an empty recordset)."""
        if not self:
            return "unknown"
        self.ensure_one()
        return warranty_status(self.state, self.date_start, self.date_end, on_date)

    def _decision_for(self, status):
        """``(decision, reason)`` suggested for a claim on the serial of this
        registration (the one that counts, or an empty recordset) in warranty
        ``status``: the one step from coverage to decision, for the ticket, the
        RMA line and every other claim."""
        if len(self) > 1:
            self.ensure_one()
        decision = warranty_decision(
            status,
            self.parts_coverage,
            self.labour_coverage,
            self.deductible_amount,
        )
        if decision == "covered":
            reason = self.env._(
                "In warranty until %(end)s, parts and labour covered.",
                end=self.date_end,
            )
        elif decision == "partial":
            reason = self.env._(
                "In warranty until %(end)s: parts %(parts)s %%, labour %(labour)s "
                "%%, deductible %(deductible)s %(currency)s.",
                end=self.date_end,
                parts=self.parts_coverage,
                labour=self.labour_coverage,
                deductible=self.deductible_amount,
                currency=self.currency_id.name or "",
            )
        elif status == "pending":
            reason = self.env._(
                "The warranty registration awaits its proof of purchase: "
                "chargeable until it is activated."
            )
        elif status == "expired":
            reason = self.env._("The warranty ended on %(end)s.", end=self.date_end)
        elif status == "void":
            reason = self.env._("The warranty registration is void.")
        elif status == "unknown":
            reason = self.env._("The serial number has no warranty registration.")
        elif self.date_start:
            reason = self.env._(
                "Not yet in warranty: the warranty starts on %(start)s.",
                start=self.date_start,
            )
        else:
            reason = self.env._("No warranty rule applies to the registration.")
        return decision, reason

    @api.model
    def check_serial(self, serial, on_date=None):
        """Warranty status of a serial number on a date (today by default).

        RPC-callable. Returns a plain dict without ``None`` (XML-RPC marshals
        it); an unknown serial, and any bad input (no serial, a serial that is
        not a string, a date that is not a date), gives status ``unknown``,
        never an exception::

            {"serial": "US200-0001",
             "status": "in" | "pending" | "out" | "expired" | "unknown" | "void",
             "product": "...", "date_start": "2026-01-31", "date_end": "2028-01-30",
             "coverage": {"parts": 100.0, "labour": 100.0, "travel": 0.0,
                          "deductible": 0.0, "currency": "EUR"},
             "policy": "EU 24 months", "dealer": "..."}

        The same answer as the ticket and the serial number (the registration
        that counts: ``_counting_for_lots``; its status: ``_status_on``), in one
        indexed query and without reading any record through the ORM: the
        answer takes the same time with a million registrations as with ten.
        """
        self.check_access("read")
        result = {
            "serial": serial if isinstance(serial, str) else False,
            "status": "unknown",
            "product": False,
            "date_start": False,
            "date_end": False,
            "coverage": False,
            "policy": False,
            "dealer": False,
        }
        serial = serial.strip() if isinstance(serial, str) else ""
        if not serial:
            return result
        if on_date:
            try:
                on_date = fields.Date.to_date(on_date)
            except (TypeError, ValueError):
                return result
        # the query reads the database: pending changes (a void, a new rule) first
        self.env.flush_all()
        # the caller's companies only; the user's timezone for "today"
        # (_init_check_serial_function)
        self.env.cr.execute(
            SQL(
                "SELECT * FROM aftersales_warranty_check_serial(%s, %s, %s, %s)",
                serial,
                self._check_serial_company_ids(),
                self.env.lang or "en_US",
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return result
        (
            state,
            date_start,
            date_end,
            parts,
            labour,
            travel,
            code,
            product_name,
            policy_name,
            deductible,
            currency,
            dealer,
            user_tz,
        ) = row
        if not on_date:
            tz = self.env.context.get("tz") or user_tz or "UTC"
            on_date = fields.Date.context_today(self.with_context(tz=tz))
        product_name = product_name or ""
        result.update(
            status=warranty_status(state, date_start, date_end, on_date),
            product=f"[{code}] {product_name}" if code else product_name or False,
            date_start=fields.Date.to_string(date_start),
            date_end=fields.Date.to_string(date_end),
            coverage={
                "parts": parts or 0.0,
                "labour": labour or 0.0,
                "travel": travel or 0.0,
                "deductible": deductible or 0.0,
                "currency": currency or False,
            },
            policy=policy_name or False,
            dealer=dealer or False,
        )
        return result

    @api.model
    def _check_serial_company_ids(self):
        """The caller's companies, without reading the whole user record (the
        web client's selection when it sends one, else all of the user's)."""
        if self.env.context.get("allowed_company_ids"):
            return self.env.companies.ids
        return list(self.env.user._get_company_ids())

    @api.model
    def _register_move_lines(self, move_lines):
        """Create or update the registrations of serials delivered to customers.

        One search for the existing registrations, one create for the new ones,
        whatever the number of serials.
        """
        lines = move_lines.filtered(
            lambda ml: (
                ml.lot_id
                and ml.product_id.tracking == "serial"
                and ml.picking_id.sale_id
            )
        )
        if not lines:
            return self.browse()
        existing = {
            w.lot_id: w
            for w in self.sudo().search(
                [
                    ("lot_id", "in", lines.lot_id.ids),
                    ("state", "in", WARRANTY_LIVE_STATES),
                ]
            )
        }
        to_create = []
        updates = defaultdict(lambda: self.browse())
        for line in lines:
            picking = line.picking_id
            order = picking.sale_id
            customer = order.partner_id.commercial_partner_id
            dealer = order.aftersales_dealer_id
            if not dealer and customer.aftersales_role in ("dealer", "distributor"):
                dealer = customer
            delivery_date = fields.Date.context_today(
                self, picking.date_done or fields.Datetime.now()
            )
            values = {
                "partner_id": order.partner_shipping_id.id or customer.id,
                "dealer_id": dealer.id,
                "sale_order_id": order.id,
                "picking_id": picking.id,
                "delivery_date": delivery_date,
                "purchase_date": fields.Date.context_today(self, order.date_order),
            }
            if line.lot_id in existing:
                key = tuple(sorted(values.items()))
                updates[key] |= existing[line.lot_id]
            else:
                values.update(
                    lot_id=line.lot_id.id,
                    company_id=line.company_id.id,
                    source="delivery",
                    state="active",
                    registration_date=delivery_date,
                )
                to_create.append(values)
        # bulk path: the registration shows its delivery and source; no per-record
        # "created" message and no follower of the stock user who validated
        created = (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(to_create)
        )
        for key, warranties in updates.items():
            warranties.write(dict(key))
        return created | self.browse().union(*updates.values())

    @api.model
    def _cron_expire(self):
        """Expire active registrations past their end date, ``EXPIRE_BATCH_SIZE``
        per run; the cron worker calls it again while some remain."""
        domain = [
            ("state", "=", "active"),
            ("date_end", "<", fields.Date.context_today(self)),
        ]
        due = self.search_count(domain)
        expired = self.search(domain, limit=EXPIRE_BATCH_SIZE)
        expired.write({"state": "expired"})
        self.env["ir.cron"]._notify_progress(
            done=len(expired), remaining=max(due - len(expired), 0)
        )
        return expired
