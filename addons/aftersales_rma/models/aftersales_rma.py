import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..const import DISPOSITION_DOCUMENTS, PICKING_LEGS, PROCESS_ORDER, RMA_STATES

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "aftersales_service.aftersales_group_manager"
OPEN_STATES = (
    "draft",
    "submitted",
    "approved",
    "awaiting_receipt",
    "received",
    "processing",
)
# states in which the goods or the money are still moving
ACTIVE_STATES = ("approved", "awaiting_receipt", "received", "processing")


class AftersalesRma(models.Model):
    _name = "aftersales.rma"
    _description = "Return Merchandise Authorization"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.state.mixin",
    ]
    _order = "id desc"
    _rec_names_search = ["name", "partner_id.name", "line_ids.lot_id.name"]
    _check_company_auto = True

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="New", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        RMA_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
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
        index=True,
    )
    dealer_id = fields.Many2one("res.partner", index=True, check_company=True)
    ticket_id = fields.Many2one(
        "aftersales.ticket", index="btree_not_null", check_company=True, copy=False
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda s: s.env.user, tracking=True
    )
    template_id = fields.Many2one(
        "aftersales.rma.template",
        string="RMA Template",
        check_company=True,
        tracking=True,
        compute="_compute_template_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Receiving Warehouse",
        check_company=True,
        compute="_compute_warehouse_id",
        store=True,
        readonly=False,
    )
    freight_payer = fields.Selection(related="template_id.freight_payer")
    incoterm_id = fields.Many2one(related="template_id.incoterm_id")
    required_documents = fields.Text(related="template_id.required_documents")
    origin_picking_id = fields.Many2one(
        "stock.picking",
        string="Returned Delivery",
        copy=False,
        check_company=True,
        help="The customer delivery whose goods come back.",
    )
    line_ids = fields.One2many(
        "aftersales.rma.line", "rma_id", string="Lines", copy=True
    )
    picking_ids = fields.One2many(
        "stock.picking", "aftersales_rma_id", string="Transfers"
    )
    procurement_group_id = fields.Many2one(
        "procurement.group",
        copy=False,
        readonly=True,
        help="Keeps the RMA's stock moves together along the warehouse's routes.",
    )
    shipment_ids = fields.One2many("aftersales.shipment", "rma_id", string="Shipments")
    repair_ids = fields.One2many("repair.order", "aftersales_rma_id", string="Repairs")
    invoice_ids = fields.One2many(
        "account.move", "aftersales_rma_id", string="Invoices and Credit Notes"
    )
    description = fields.Html()
    amount_total = fields.Monetary(
        string="Total Value",
        compute="_compute_amount_total",
        store=True,
        currency_field="currency_id",
    )
    # approval
    submit_date = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    approval_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    approval_note = fields.Char(readonly=True, copy=False, tracking=True)
    rejection_reason = fields.Text(copy=False, tracking=True)
    # logistics
    ship_by_date = fields.Date(
        string="Customer Ships By",
        copy=False,
        tracking=True,
        help="Return instructions date plus the template's days to ship.",
    )
    serial_mismatch = fields.Boolean(
        compute="_compute_line_flags", store=True, index=True
    )
    return_overdue = fields.Boolean(
        string="Advance Return Overdue",
        compute="_compute_line_flags",
        store=True,
        index=True,
    )
    # staleness
    date_last_state = fields.Datetime(
        string="Last Status Change",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        index=True,
    )
    is_stale = fields.Boolean(readonly=True, copy=False, index=True)
    stale_notified_date = fields.Datetime(readonly=True, copy=False)
    # smart buttons
    picking_count = fields.Integer(compute="_compute_counts")
    repair_count = fields.Integer(compute="_compute_counts")
    invoice_count = fields.Integer(compute="_compute_counts")
    shipment_count = fields.Integer(compute="_compute_counts")

    @api.depends("partner_id")
    def _compute_country_id(self):
        # the contact's country, else its company's: as the ticket and the
        # registration (the matching rule's country)
        for rma in self:
            rma.country_id = rma.partner_id._aftersales_country()

    @api.depends("country_id", "company_id")
    def _compute_template_id(self):
        Template = self.env["aftersales.rma.template"]
        cache = {}
        for rma in self:
            key = (rma.country_id, rma.company_id)
            if key not in cache:
                cache[key] = Template._find_for(rma.country_id, rma.company_id)
            rma.template_id = cache[key] or rma.template_id

    @api.depends("template_id", "company_id")
    def _compute_warehouse_id(self):
        first_by_company = {}
        for rma in self:
            warehouse = rma.template_id.warehouse_id
            if not warehouse:
                company = rma.company_id
                if company not in first_by_company:
                    first_by_company[company] = self.env["stock.warehouse"].search(
                        [("company_id", "=", company.id)], limit=1
                    )
                warehouse = first_by_company[company]
            rma.warehouse_id = warehouse

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for rma in self:
            rma.amount_total = sum(rma.line_ids.mapped("amount"))

    @api.depends("line_ids.serial_mismatch", "line_ids.return_overdue")
    def _compute_line_flags(self):
        for rma in self:
            rma.serial_mismatch = any(rma.line_ids.mapped("serial_mismatch"))
            rma.return_overdue = any(rma.line_ids.mapped("return_overdue"))

    def _compute_counts(self):
        # sudo: a service user sees how many documents the RMA has even without
        # stock, repair or invoicing rights (opening them still needs the rights)
        for rma, rma_sudo in zip(self, self.sudo(), strict=True):
            rma.picking_count = len(rma_sudo.picking_ids)
            rma.repair_count = len(rma_sudo.repair_ids)
            rma.invoice_count = len(rma_sudo.invoice_ids)
            rma.shipment_count = len(rma_sudo.shipment_ids)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._assign_numbers(vals_list)
        if len(vals_list) < 2 or self.env.context.get("tracking_disable"):
            return super().create(vals_list)
        # a batch (the RMAs of a selection of tickets): mail.thread subscribes and
        # notifies the responsible of every RMA one by one (an email each); here
        # the responsibles are subscribed once per user and told once per user
        rmas = super(
            AftersalesRma, self.with_context(aftersales_rma_batch_assign=True)
        ).create(vals_list)
        rmas = rmas.with_env(self.env)
        rmas._subscribe_responsibles()
        return rmas

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        if self.env.context.get("aftersales_rma_batch_assign"):
            # done by _subscribe_responsibles for the whole batch
            updated_values = dict(updated_values, user_id=False)
        return super()._message_auto_subscribe_followers(
            updated_values, default_subtype_ids
        )

    def _subscribe_responsibles(self):
        """The responsible of these RMAs follows them and is notified of the
        assignment: one subscription per user, one notification per user (the
        list of their RMAs, aftersales.batch.mail.mixin) instead of one per RMA."""
        # the subtypes a new follower of an RMA gets, as mail.thread gives them
        default_subtypes = (
            self.env["mail.message.subtype"].default_subtypes(self._name)[0].ids
        )
        for user, rmas in self.grouped("user_id").items():
            user = user.sudo()
            if not user or not user.active:
                continue
            partner = user.partner_id
            self.env["mail.followers"]._insert_followers(
                rmas._name,
                rmas.ids,
                partner.ids,
                subtypes={partner.id: default_subtypes},
                check_existing=True,
                existing_policy="update",
            )
            if user == self.env.user:
                continue
            rmas = rmas.with_context(lang=partner.lang)
            if len(rmas) == 1:
                rmas._message_auto_subscribe_notify(
                    partner.ids, "mail.message_user_assigned"
                )
            else:
                rmas._notify_assignment_digest(partner)

    def _assign_numbers(self, vals_list):
        """Sequence numbers for a batch: one ``nextval`` round trip per company
        instead of one ``next_by_code`` per RMA."""
        self.env["ir.sequence"]._aftersales_number_vals("aftersales.rma", vals_list)

    def write(self, vals):
        if "state" in vals:
            vals = dict(vals, date_last_state=fields.Datetime.now(), is_stale=False)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(rma.state not in ("draft", "cancel") for rma in self):
            raise UserError(self.env._("Only draft or cancelled RMAs can be deleted."))

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------

    def action_submit(self):
        """draft → submitted; approved at once when the template's rule allows."""
        self._check_state(("draft",), self.env._("Submitting"))
        for rma in self:
            if not rma.line_ids:
                raise UserError(
                    self.env._("%(rma)s has no line to return.", rma=rma.name)
                )
        self.write({"state": "submitted", "submit_date": fields.Datetime.now()})
        auto = self.filtered(
            lambda r: r.template_id and r.template_id._auto_approval_allows(r)
        )
        if auto:
            auto._approve(
                note=self.env._("Approved automatically by the template's rule.")
            )
        return True

    def action_approve(self):
        """submitted → approved, by a service manager."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a service manager can approve an RMA."))
        self._check_state(("submitted",), self.env._("Approving"))
        self._approve(note=self.env._("Approved by %(user)s.", user=self.env.user.name))
        return True

    def _approve(self, note):
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approval_date": fields.Datetime.now(),
                "approval_note": note,
                "rejection_reason": False,
            }
        )
        # advance replacement: the replacement leaves before the faulty unit is back
        advance = self.line_ids.filtered(
            lambda line: DISPOSITION_DOCUMENTS[line.disposition]["ships_first"]
        )
        if advance:
            today = fields.Date.context_today(self)
            for line in advance:
                line.return_due_date = today + timedelta(
                    days=line.rma_id.template_id.max_ship_days or 14
                )
        # sudo: the replacement leaves whoever approves (stock rights not needed)
        self.sudo()._create_documents(self.line_ids.sudo(), "on_approval")

    def action_reject(self):
        """submitted → rejected; the reason is required."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a service manager can reject an RMA."))
        self._check_state(("submitted",), self.env._("Rejecting"))
        if any(not rma.rejection_reason for rma in self):
            raise UserError(self.env._("Write the reason of the rejection first."))
        self.write({"state": "rejected"})
        return True

    def action_request_return(self):
        """approved → awaiting receipt: the receipt at the hub's RMA location. An
        RMA whose return was already requested (an advance replacement's, when
        its replacement shipped) is left as it is."""
        self._check_state(
            ("approved", "awaiting_receipt"), self.env._("Requesting the return")
        )
        self.check_access("write")
        # sudo: the receipt is made for the service user (no stock rights needed)
        self.filtered(lambda rma: rma.state == "approved").sudo()._request_return()
        return True

    def _request_return(self):
        today = fields.Date.context_today(self)
        # a warehouse made before the module (data loaded before the install hook)
        self.warehouse_id.filtered(
            lambda w: not w.aftersales_rma_type_id or not w.aftersales_rma_location_id
        ).sudo()._aftersales_rma_setup()
        for rma in self:
            if not rma.warehouse_id:
                raise UserError(
                    self.env._("Set the receiving warehouse of %(rma)s.", rma=rma.name)
                )
            rma.ship_by_date = today + timedelta(
                days=rma.template_id.max_ship_days or 14
            )
        self._create_pickings(self.line_ids, "receipt")
        self.write({"state": "awaiting_receipt"})
        return True

    def action_process(self):
        """received → processing: the documents of every line's disposition."""
        self._check_state(("received",), self.env._("Processing"))
        self.check_access("write")
        # sudo: a service user creates the RMA's repairs, transfers and credit notes
        # without stock, repair or invoicing rights of their own
        self_sudo = self.sudo()
        self_sudo._process()
        return True

    def _process(self):
        lines = self.line_ids.filtered(
            lambda line: float_compare(line.qty_received, 0, precision_digits=6) > 0
        )
        self.write({"state": "processing"})
        self._create_documents(lines, "on_process")
        self._check_done()

    def action_done(self):
        """processing → done, when every line is resolved."""
        self._check_state(("processing",), self.env._("Closing"))
        unresolved = self.line_ids.filtered(lambda line: not line.resolved)
        if unresolved:
            waiting = []
            for line in unresolved.sudo():
                waiting.append(
                    self.env._(
                        "- %(line)s waits for %(documents)s",
                        line=line._display_for_message(),
                        documents="; ".join(line._waiting_for()),
                    )
                )
            raise UserError(
                self.env._(
                    "These lines are not finished yet:\n%(lines)s",
                    lines="\n".join(waiting),
                )
            )
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        """Any state before done → cancelled: pickings not done, repairs not done,
        draft credit notes and invoices are cancelled; done ones stay."""
        self._check_state(OPEN_STATES + ("rejected",), self.env._("Cancelling"))
        self.check_access("write")
        # sudo: the service user cancels the RMA's own documents
        self._cancel_documents(self.sudo())
        self.write({"state": "cancel"})
        return True

    @api.model
    def _cancel_documents(self, rmas):
        rmas.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        ).action_cancel()
        rmas.line_ids.vendor_picking_id.filtered(
            lambda p: p.state not in ("done", "cancel")
        ).action_cancel()
        repairs = rmas.repair_ids.filtered(lambda r: r.state not in ("done", "cancel"))
        if repairs:
            repairs.action_repair_cancel()
        rmas.invoice_ids.filtered(lambda m: m.state == "draft").button_cancel()

    def action_draft(self):
        """cancelled or rejected → draft."""
        self._check_state(("cancel", "rejected"), self.env._("Resetting to draft"))
        self.write({"state": "draft", "approved_by_id": False, "approval_date": False})
        return True

    # ------------------------------------------------------------------
    # Documents: one table says which, one _prepare_*_vals hook builds each
    # ------------------------------------------------------------------

    def _create_documents(self, lines, moment):
        """The documents ``DISPOSITION_DOCUMENTS`` gives ``lines`` at ``moment``
        (``on_approval``, ``on_process`` or ``after_repair``), in
        ``PROCESS_ORDER``, one batch per document."""
        Line = self.env["aftersales.rma.line"]
        for document in PROCESS_ORDER:
            if document == "disposal":
                todo = (
                    lines.filtered(
                        lambda line: (
                            DISPOSITION_DOCUMENTS[line.disposition]["put_away"]
                            and not line.vendor_return
                        )
                    )
                    if moment == "on_process"
                    else Line
                )
            elif document == "vendor":
                todo = (
                    lines.filtered(
                        lambda line: line.vendor_return and not line.vendor_picking_id
                    )
                    if moment == "on_process"
                    else Line
                )
            else:
                todo = lines.filtered(
                    lambda line, document=document: (
                        document in DISPOSITION_DOCUMENTS[line.disposition][moment]
                    )
                )
            if todo:
                self._create_document(document, todo)

    def _create_document(self, document, lines):
        creators = {
            "repair": self._create_repairs,
            "refund": self._create_refunds,
            "scrap": self._create_scraps,
            "vendor": self._create_vendor_returns,
        }
        if document in creators:
            return creators[document](lines)
        return self._create_pickings(lines, document)

    def _procurement_groups(self):
        """``{rma: procurement.group}``: one group per RMA (made on its first
        transfer) keeps its moves together along the warehouse's routes."""
        missing = self.filtered(lambda rma: not rma.procurement_group_id)
        if missing:
            groups = self.env["procurement.group"].create(
                [{"name": rma.name, "partner_id": rma.partner_id.id} for rma in missing]
            )
            for rma, group in zip(missing, groups, strict=True):
                rma.procurement_group_id = group
        return {rma: rma.procurement_group_id for rma in self}

    def _leg_locations(self, kind, lines):
        """(picking type, source, destination, partner) of the leg ``kind``
        (``PICKING_LEGS``) of this RMA; destination False: each line's
        *Returned Unit To* (the warehouse's stock when empty)."""
        self.ensure_one()
        warehouse = self.warehouse_id
        leg = PICKING_LEGS[kind]
        customer = self.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )
        partner = self.partner_id
        if leg["destination"] == "vendor":
            partner = lines.vendor_id[:1]
        places = {
            "customer": customer,
            "stock": warehouse.lot_stock_id,
            "rma": warehouse.aftersales_rma_location_id,
            "vendor": partner.property_stock_supplier
            or self.env.ref("stock.stock_location_suppliers"),
            "line": self.env["stock.location"],
        }
        return (
            warehouse[leg["picking_type"]],
            places[leg["source"]],
            places[leg["destination"]],
            partner,
        )

    def _prepare_picking_vals(self, kind, lines):
        """Values of the transfer of ``kind`` for ``lines`` of this RMA."""
        if kind == "receipt":
            return self._prepare_receipt_vals(lines)
        return self._prepare_delivery_vals(kind, lines)

    def _prepare_receipt_vals(self, lines):
        """The receipt of what ``lines`` still expect, from the customer to the
        RMA location. A warehouse receiving in 2 or 3 steps receives it at its
        input location; its reception route then moves it on (input → quality →
        stock) and the last step ends in the RMA location (``stock.rule``)."""
        self.ensure_one()
        picking_type, source, final, partner = self._leg_locations("receipt", lines)
        warehouse = self.warehouse_id
        destination = final
        if warehouse.reception_steps != "one_step":
            destination = warehouse.wh_input_stock_loc_id
        moves = []
        for line in lines:
            vals = self._prepare_move_vals(
                line,
                line.product_id,
                line.quantity - line.qty_received,
                source,
                destination,
                partner,
            )
            if destination != final:
                vals["location_final_id"] = final.id
            moves.append(Command.create(vals))
        return self._prepare_transfer_vals(
            "receipt", picking_type, source, destination, partner, moves
        )

    def _prepare_delivery_vals(self, kind, lines):
        """A transfer of ``lines`` out of the stock or the RMA location: the
        replacement, the return to the customer, the put-away of the returned
        unit (``disposal``) or the return to the vendor."""
        self.ensure_one()
        picking_type, source, destination, partner = self._leg_locations(kind, lines)
        warehouse = self.warehouse_id
        moves = []
        for line in lines:
            product = line.product_id
            quantity = line.qty_received
            if kind == "replacement":
                product = line.replacement_product_id or line.product_id
                if DISPOSITION_DOCUMENTS[line.disposition]["ships_first"]:
                    quantity = line.quantity
            move_destination = destination or (
                line.return_location_id or warehouse.lot_stock_id
            )
            moves.append(
                Command.create(
                    self._prepare_move_vals(
                        line, product, quantity, source, move_destination, partner
                    )
                )
            )
        return self._prepare_transfer_vals(
            kind,
            picking_type,
            source,
            destination or warehouse.lot_stock_id,
            partner,
            moves,
        )

    def _prepare_transfer_vals(
        self, kind, picking_type, source, destination, partner, moves
    ):
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": self.name,
            "aftersales_rma_id": self.id,
            "aftersales_rma_kind": kind,
            "company_id": self.company_id.id,
            "move_ids": moves,
        }

    def _prepare_move_vals(self, line, product, quantity, source, destination, partner):
        return {
            "name": self.name,
            "origin": self.name,
            "product_id": product.id,
            "product_uom_qty": quantity,
            "product_uom": product.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "aftersales_rma_line_id": line.id,
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "group_id": self.procurement_group_id.id,
        }

    def _create_pickings(self, lines, kind):
        """One picking of ``kind`` per RMA (per destination for disposals),
        confirmed and reserved; every leg that leaves or reaches the hub gets its
        shipment."""
        if not lines:
            return self.env["stock.picking"]
        lines.rma_id.warehouse_id.filtered(
            lambda w: not w.aftersales_rma_location_id
        ).sudo()._aftersales_rma_setup()
        lines.rma_id._procurement_groups()
        procured = lines.filtered(lambda line: line.rma_id._procures(kind))
        pickings = self._procure_deliveries(procured, kind)
        lines -= procured
        values = []
        for rma, rma_lines in lines.grouped("rma_id").items():
            if PICKING_LEGS[kind]["destination"] == "line":
                for group in rma_lines.grouped("return_location_id").values():
                    values.append(rma._prepare_picking_vals(kind, group))
            else:
                values.append(rma._prepare_picking_vals(kind, rma_lines))
        made = self.env["stock.picking"].sudo().create(values)
        made.action_confirm()
        pickings |= made
        to_reserve = pickings.filtered(
            lambda p: p.picking_type_code != "incoming" and p.state != "assigned"
        )
        if to_reserve:
            to_reserve.action_assign()
        direction = PICKING_LEGS[kind]["shipment"]
        if direction:
            # the leg that leaves the hub ships (not the pick or pack step)
            legs = pickings.filtered(
                lambda p: p.picking_type_code == "outgoing" or kind == "receipt"
            )
            shipments = (
                self.env["aftersales.shipment"]
                .sudo()
                ._create_for_pickings(legs, direction)
            )
            self._prefill_shipments(shipments, kind)
        return pickings.sudo(False)

    def _procures(self, kind):
        """The leg ``kind`` of this RMA goes through procurement and the
        warehouse's delivery route: a replacement from a warehouse that delivers
        in 2 or 3 steps (pick → pack → ship)."""
        self.ensure_one()
        return kind == "replacement" and self.warehouse_id.delivery_steps not in (
            False,
            "ship_only",
        )

    def _procure_deliveries(self, lines, kind):
        """Run one procurement per line at the customer's location: the
        warehouse's delivery route makes its pick (, pack) and ship transfers,
        which belong to the RMA (``stock.move._get_new_picking_values``)."""
        Picking = self.env["stock.picking"]
        if not lines:
            return Picking
        Group = self.env["procurement.group"]
        before = lines.move_ids
        procurements = [
            Group.Procurement(*line.rma_id._prepare_procurement_args(kind, line))
            for line in lines
        ]
        Group.with_context(aftersales_rma_kind=kind).run(procurements)
        return (lines.move_ids - before).picking_id

    def _prepare_procurement_args(self, kind, line):
        """(product, quantity, unit, location, name, origin, company, values) of
        the procurement of ``line``'s leg ``kind`` (a replacement)."""
        self.ensure_one()
        __, __, destination, partner = self._leg_locations(kind, line)
        product = line.replacement_product_id or line.product_id
        quantity = line.qty_received
        if DISPOSITION_DOCUMENTS[line.disposition]["ships_first"]:
            quantity = line.quantity
        values = {
            "group_id": self.procurement_group_id,
            "warehouse_id": self.warehouse_id,
            "partner_id": partner.id,
            "aftersales_rma_line_id": line.id,
            "date_planned": fields.Datetime.now(),
        }
        return (
            product,
            quantity,
            product.uom_id,
            destination,
            self.name,
            self.name,
            self.company_id,
            values,
        )

    @api.model
    def _prefill_shipments(self, shipments, kind):
        """The customs basics an RMA knows: the template's incoterm and why the
        goods cross the border (left alone when the shipment already has them)."""
        for shipment in shipments:
            values = {}
            incoterm = shipment.rma_id.template_id.incoterm_id
            if incoterm and not shipment.incoterm_id:
                values["incoterm_id"] = incoterm.id
            if not shipment.export_reason:
                values["export_reason"] = PICKING_LEGS[kind]["export_reason"]
            if values:
                shipment.write(values)

    def _create_vendor_returns(self, lines):
        """An outgoing picking to each vendor and a draft vendor credit note of
        the expected amount."""
        if not lines:
            return
        for group in lines.grouped(lambda line: (line.rma_id, line.vendor_id)).values():
            picking = group.rma_id._create_pickings(group, "vendor")
            group.vendor_picking_id = picking
        refunds = self.env["account.move"].create(
            [line.rma_id._prepare_vendor_credit_vals(line) for line in lines]
        )
        for line, refund in zip(lines, refunds, strict=True):
            line.vendor_refund_id = refund

    def _prepare_vendor_credit_vals(self, line):
        """The draft vendor credit note (``in_refund``) expected for ``line``."""
        self.ensure_one()
        quantity = line.qty_received or line.quantity
        return {
            "move_type": "in_refund",
            "partner_id": line.vendor_id.id,
            "company_id": line.company_id.id,
            "currency_id": line.currency_id.id,
            "invoice_origin": self.name,
            "ref": line.lot_id.name or self.name,
            "aftersales_rma_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "quantity": quantity,
                        "price_unit": (
                            line.vendor_credit_amount / quantity
                            if line.vendor_credit_amount
                            else line.product_id.standard_price
                        ),
                    }
                )
            ],
        }

    def _create_repairs(self, lines):
        """One repair order per line, at the RMA location; warranty-covered lines
        are repaired under warranty (free to the customer)."""
        if not lines:
            return self.env["repair.order"]
        repairs = self.env["repair.order"].create(
            [line.rma_id._prepare_repair_vals(line) for line in lines]
        )
        for line, repair in zip(lines, repairs, strict=True):
            line.repair_id = repair
        return repairs

    def _prepare_repair_vals(self, line):
        """The repair order of ``line``'s received unit."""
        self.ensure_one()
        warehouse = self.warehouse_id
        rma_location = warehouse.aftersales_rma_location_id
        return {
            "product_id": line.product_id.id,
            "product_qty": line.qty_received,
            "product_uom": line.product_id.uom_id.id,
            "lot_id": (line.received_lot_ids[:1] or line.lot_id).id,
            "partner_id": self.partner_id.id,
            "company_id": line.company_id.id,
            "picking_type_id": warehouse.repair_type_id.id,
            "product_location_src_id": rma_location.id,
            "product_location_dest_id": rma_location.id,
            "under_warranty": line.warranty_decision == "covered",
            "aftersales_rma_line_id": line.id,
            "internal_notes": line.reason_note or False,
        }

    def _create_scraps(self, lines):
        """Scrap the received units."""
        for line in lines:
            scrap = self.env["stock.scrap"].create(
                line.rma_id._prepare_scrap_vals(line)
            )
            scrap.action_validate()
            line.scrap_id = scrap

    def _prepare_scrap_vals(self, line):
        """The scrap of ``line``'s received unit, from the RMA location."""
        self.ensure_one()
        return {
            "product_id": line.product_id.id,
            "product_uom_id": line.product_id.uom_id.id,
            "scrap_qty": line.qty_received,
            "lot_id": (line.received_lot_ids[:1] or line.lot_id).id,
            "location_id": self.warehouse_id.aftersales_rma_location_id.id,
            "company_id": line.company_id.id,
            "origin": self.name,
        }

    def _find_origin_invoice_lines(self, lines):
        """``{line: account.move.line}``: the posted customer invoice line that
        sold each line's unit (through its delivered move, its sale order line, or
        the delivery of its serial)."""
        result = {}
        sale_lines = {}
        for line in lines:
            sale_line = line.sale_line_id or line.origin_move_id.sale_line_id
            if sale_line:
                sale_lines[line] = sale_line
        lots = lines.filtered(
            lambda line: line not in sale_lines and line.lot_id
        ).lot_id
        if lots:
            move_lines = (
                self.env["stock.move.line"]
                .sudo()
                .search(
                    [
                        ("lot_id", "in", lots.ids),
                        ("state", "=", "done"),
                        ("location_dest_id.usage", "=", "customer"),
                        ("move_id.sale_line_id", "!=", False),
                    ],
                    order="date desc, id desc",
                )
            )
            by_lot = {}
            for move_line in move_lines:
                by_lot.setdefault(move_line.lot_id, move_line.move_id.sale_line_id)
            for line in lines:
                if line not in sale_lines and line.lot_id in by_lot:
                    sale_lines[line] = by_lot[line.lot_id]
        # else the sale order of the serial's warranty registration
        lots = lines.filtered(
            lambda line: line not in sale_lines and line.lot_id
        ).lot_id
        if lots:
            warranties = (
                self.env["aftersales.warranty"]
                .sudo()
                .search(
                    [("lot_id", "in", lots.ids), ("sale_order_id", "!=", False)],
                    order="id desc",
                )
            )
            by_lot = {}
            for warranty in warranties:
                by_lot.setdefault(warranty.lot_id, warranty.sale_order_id)
            for line in lines:
                order = by_lot.get(line.lot_id) if line not in sale_lines else None
                order_lines = (
                    order.order_line.filtered(
                        lambda sol, line=line: sol.product_id == line.product_id
                    )
                    if order
                    else None
                )
                if order_lines:
                    sale_lines[line] = order_lines[:1]
        for line, sale_line in sale_lines.items():
            invoice_lines = sale_line.sudo().invoice_lines.filtered(
                lambda il: (
                    il.move_id.move_type == "out_invoice"
                    and il.move_id.state == "posted"
                )
            )
            if invoice_lines:
                result[line] = invoice_lines.sorted("id")[-1].sudo(False)
        return result

    def _create_refunds(self, lines):
        """A draft customer credit note per RMA and original invoice: from the
        invoice's price, taxes and currency when the unit's invoice is found, else
        from the product's sales price in the company currency."""
        if not lines:
            return self.env["account.move"]
        origins = self._find_origin_invoice_lines(lines)
        groups = defaultdict(lambda: self.env["aftersales.rma.line"])
        for line in lines:
            invoice_line = origins.get(line)
            line.origin_invoice_line_id = invoice_line
            groups[(line.rma_id, invoice_line.move_id if invoice_line else None)] |= (
                line
            )
        values = []
        keys = []
        for (rma, invoice), group in groups.items():
            values.append(rma._prepare_refund_vals(invoice, group, origins))
            keys.append(group)
        refunds = self.env["account.move"].create(values)
        for group, refund in zip(keys, refunds, strict=True):
            group.refund_move_id = refund
        return refunds

    def _prepare_refund_vals(self, invoice, lines, origins):
        """The draft customer credit note of ``lines`` of this RMA whose units
        ``invoice`` sold (None: no invoice found); ``origins``: ``{line: invoice
        line}`` of ``_find_origin_invoice_lines``."""
        self.ensure_one()
        partner = invoice.partner_id if invoice else self.partner_id
        return {
            "move_type": "out_refund",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "currency_id": (invoice.currency_id if invoice else self.currency_id).id,
            "reversed_entry_id": invoice.id if invoice else False,
            "invoice_origin": invoice.name if invoice else self.name,
            "ref": self.env._("Return %(rma)s", rma=self.name),
            "aftersales_rma_id": self.id,
            "invoice_line_ids": [
                Command.create(self._prepare_refund_line_vals(line, origins.get(line)))
                for line in lines
            ],
        }

    def _prepare_refund_line_vals(self, line, invoice_line):
        """The credit note line of ``line``: the invoice line's price, discount,
        taxes and unit when it is known, else the product's sales price."""
        vals = {
            "product_id": line.product_id.id,
            "quantity": line.qty_received,
            "name": self.env._(
                "%(rma)s: return of %(product)s %(serial)s",
                rma=self.name,
                product=line.product_id.display_name,
                serial=(line.received_lot_ids[:1] or line.lot_id).name or "",
            ),
        }
        if invoice_line:
            vals.update(
                price_unit=invoice_line.price_unit,
                discount=invoice_line.discount,
                tax_ids=[Command.set(invoice_line.tax_ids.ids)],
                product_uom_id=invoice_line.product_uom_id.id,
                quantity=line.product_id.uom_id._compute_quantity(
                    line.qty_received, invoice_line.product_uom_id
                ),
            )
        else:
            vals["price_unit"] = line.product_id.lst_price
        return vals

    # ------------------------------------------------------------------
    # Events from the documents
    # ------------------------------------------------------------------

    def _on_pickings_done(self, pickings):
        """Called when RMA pickings are validated. A receipt in several steps
        (input → quality → stock) receives the RMA with its last step."""
        receipts = pickings.filtered(lambda p: p.aftersales_rma_kind == "receipt")
        replacements = pickings.filtered(
            lambda p: p.aftersales_rma_kind == "replacement"
        )
        self._ship_next_steps(pickings)
        if replacements:
            self._request_return_after_replacement(replacements)
        if receipts:
            self._flag_serial_mismatches(receipts)
            waiting = self.filtered(lambda r: r.state == "awaiting_receipt")
            for rma in waiting:
                rma_receipts = rma.picking_ids.filtered(
                    lambda p: p.aftersales_rma_kind == "receipt"
                )
                if all(p.state in ("done", "cancel") for p in rma_receipts):
                    rma.state = "received"
        self._check_done()

    @api.model
    def _ship_next_steps(self, pickings):
        """A leg delivered in 2 or 3 steps: its ship step, made by the delivery
        route when the step before is validated, gets the leg's shipment."""
        steps = pickings.move_ids.move_dest_ids.picking_id.filtered(
            lambda p: (
                p.aftersales_rma_id
                and p.picking_type_code == "outgoing"
                and not p.aftersales_shipment_ids
                and p.state not in ("done", "cancel")
                and PICKING_LEGS.get(p.aftersales_rma_kind, {}).get("shipment")
            )
        )
        for kind, legs in steps.grouped("aftersales_rma_kind").items():
            shipments = self.env["aftersales.shipment"]._create_for_pickings(
                legs, PICKING_LEGS[kind]["shipment"]
            )
            self._prefill_shipments(shipments, kind)

    def _request_return_after_replacement(self, replacements):
        """An approved RMA whose goods shipped first (advance replacement) asks
        for the faulty units back as soon as every such line's replacement is
        delivered: the return is requested as by **Request Return**."""
        rmas = replacements.aftersales_rma_id.filtered(
            lambda rma: rma.state == "approved"
        )
        ready = self.browse()
        for rma in rmas:
            first = rma.line_ids.filtered(
                lambda line: DISPOSITION_DOCUMENTS[line.disposition]["ships_first"]
            )
            moves = first.move_ids.filtered(
                lambda m: m.picking_id.aftersales_rma_kind == "replacement"
            )
            if moves and all(m.state in ("done", "cancel") for m in moves):
                ready |= rma
        if not ready:
            return
        ready._request_return()
        for rma in ready:
            rma.message_post(
                body=self.env._(
                    "The replacement is delivered: the return of the faulty unit is "
                    "requested (to ship by %(date)s).",
                    date=rma.ship_by_date,
                )
            )

    def _flag_serial_mismatches(self, receipts):
        lines = receipts.move_ids.aftersales_rma_line_id.filtered("serial_mismatch")
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        for line in lines:
            note = self.env._(
                "Serial mismatch on %(product)s: expected %(expected)s, received "
                "%(received)s.",
                product=line.product_id.display_name,
                expected=line.lot_id.name,
                received=", ".join(line.received_lot_ids.mapped("name")),
            )
            line.rma_id.message_post(body=note)
            if activity_type:
                line.rma_id.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Check the received serial"),
                    note=note,
                    user_id=line.rma_id.user_id.id or self.env.user.id,
                )

    def _check_done(self):
        """processing → done when every line is resolved."""
        for rma in self.filtered(lambda r: r.state == "processing"):
            if rma.line_ids and all(rma.line_ids.mapped("resolved")):
                rma.state = "done"

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------

    def _action_view(self, records, name):
        action = records._get_records_action(name=name)
        action["context"] = {"create": False}
        return action

    def action_view_pickings(self):
        return self._action_view(
            self.picking_ids | self.line_ids.vendor_picking_id, self.env._("Transfers")
        )

    def action_view_repairs(self):
        return self._action_view(self.repair_ids, self.env._("Repairs"))

    def action_view_invoices(self):
        return self._action_view(
            self.invoice_ids, self.env._("Invoices and Credit Notes")
        )

    def action_view_shipments(self):
        return self._action_view(self.shipment_ids, self.env._("Shipments"))

    def action_view_ticket(self):
        return self.ticket_id._get_records_action(name=self.env._("Ticket"))

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_advance_returns(self, batch_size=500, reminder_days=3):
        """Advance replacements whose faulty unit is not back: remind the customer
        before the due date, flag overdue returns after it, invoice the deposit
        after the template's grace days. Batched; one search per step."""
        today = fields.Date.context_today(self)
        Line = self.env["aftersales.rma.line"]
        base = [
            ("disposition", "=", "advance_replacement"),
            ("rma_id.state", "in", ACTIVE_STATES),
            ("return_due_date", "!=", False),
        ]
        template = self.env.ref(
            "aftersales_rma.mail_template_rma_advance_reminder",
            raise_if_not_found=False,
        )
        # reminders
        to_remind = Line.search(
            base
            + [
                ("reminder_date", "=", False),
                ("return_due_date", "<=", today + timedelta(days=reminder_days)),
            ],
            limit=batch_size,
        ).filtered(lambda line: line.qty_received < line.quantity)
        if to_remind:
            if template:
                for rma in to_remind.rma_id:
                    rma.message_post_with_source(
                        template, subtype_xmlid="mail.mt_comment"
                    )
            to_remind.reminder_date = today
        # overdue
        overdue = Line.search(
            base + [("return_overdue", "=", False), ("return_due_date", "<", today)],
            limit=batch_size,
        ).filtered(lambda line: line.qty_received < line.quantity)
        if overdue:
            overdue.return_overdue = True
            activity_type = self.env.ref("mail.mail_activity_data_todo")
            for rma in overdue.rma_id:
                rma.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Advance replacement: faulty unit overdue"),
                    user_id=rma.user_id.id or self.env.user.id,
                )
        # deposits
        # lines whose last try failed come last: they cannot hold the others back
        candidates = Line.search(
            base + [("deposit_move_id", "=", False), ("return_due_date", "<", today)],
            limit=batch_size,
            order="deposit_error desc nulls first, id",
        )
        to_charge = candidates.filtered(
            lambda line: (
                line.qty_received < line.quantity
                and line.rma_id.template_id.advance_deposit_product_id
                and line.return_due_date
                + timedelta(days=line.rma_id.template_id.advance_deposit_grace_days)
                < today
            )
        )
        if to_charge:
            self._invoice_deposits(to_charge)
        # lines whose unit came back are no longer overdue
        back = Line.search(base + [("return_overdue", "=", True)], limit=batch_size)
        back.filtered(
            lambda line: line.qty_received >= line.quantity
        ).return_overdue = False
        return True

    def _invoice_deposits(self, lines):
        """The deposit invoices of ``lines`` (posted), in one batch. A batch that
        cannot be made is halved (a savepoint each half) until the lines that
        fail are alone: such a line (e.g. a deposit product whose income account
        is deprecated) keeps no invoice, its RMA gets a note and an activity (once
        per error), the other lines are invoiced, and the cron tries it again at
        its next run."""
        if not lines:
            return self.env["account.move"]
        try:
            with self.env.cr.savepoint():
                return self._make_deposit_invoices(lines)
        except (UserError, psycopg2.Error) as error:
            if len(lines) == 1:
                _logger.warning(
                    "RMA %s: deposit invoice not made: %s", lines.rma_id.name, error
                )
                self._deposit_failed(lines, error)
                return self.env["account.move"]
        half = len(lines) // 2
        return self._invoice_deposits(lines[:half]) | self._invoice_deposits(
            lines[half:]
        )

    def _make_deposit_invoices(self, lines):
        invoices = self.env["account.move"].create(
            [line.rma_id._prepare_deposit_vals(line) for line in lines]
        )
        invoices.action_post()
        for line, invoice in zip(lines, invoices, strict=True):
            line.write({"deposit_move_id": invoice.id, "deposit_error": False})
            line.rma_id.message_post(
                body=self.env._(
                    "Deposit invoice %(invoice)s: the faulty unit was not returned by "
                    "%(date)s.",
                    invoice=invoice.name,
                    date=line.return_due_date,
                )
            )
        return invoices

    @api.model
    def _deposit_failed(self, line, error):
        """Note the error on the line and, when it is new, on its RMA (message
        and activity for the responsible)."""
        message = (
            error.args[0] if isinstance(error, UserError) and error.args else str(error)
        )
        if line.deposit_error == message:
            return
        line.deposit_error = message
        rma = line.rma_id
        note = self.env._(
            "The deposit invoice of %(product)s %(serial)s could not be made: "
            "%(error)s. It is tried again at the next run of the cron.",
            product=line.product_id.display_name,
            serial=line.lot_id.name or "",
            error=message,
        )
        rma.message_post(body=note)
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        if activity_type:
            rma.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Deposit invoice failed"),
                note=note,
                user_id=rma.user_id.id or self.env.user.id,
            )

    def _prepare_deposit_vals(self, line):
        """The deposit invoice of ``line``'s faulty unit not returned in time:
        the template's deposit amount in its currency (the replacement's sales
        price when 0) times the missing quantity."""
        self.ensure_one()
        template = self.template_id
        missing = line.quantity - line.qty_received
        product = line.replacement_product_id or line.product_id
        amount = template.advance_deposit_amount
        currency = template.currency_id
        if not amount:
            amount, currency = product.lst_price, line.currency_id
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": line.company_id.id,
            "currency_id": currency.id,
            "invoice_origin": self.name,
            "aftersales_rma_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": template.advance_deposit_product_id.id,
                        "name": self.env._(
                            "%(rma)s: faulty %(product)s %(serial)s not returned",
                            rma=self.name,
                            product=line.product_id.display_name,
                            serial=line.lot_id.name or "",
                        ),
                        "quantity": missing,
                        "price_unit": amount,
                    }
                )
            ],
        }
