import logging
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..const import RMA_STATES
from .aftersales_rma_line import DISPOSAL_DISPOSITIONS

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
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
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
        for rma in self:
            rma.country_id = rma.partner_id.country_id

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

    def _check_state(self, states, action):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(rmas)s in state %(state)s.",
                    action=action,
                    rmas=", ".join(wrong.mapped("name")),
                    state=labels[wrong[0].state],
                )
            )

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
            lambda line: line.disposition == "advance_replacement"
        )
        if advance:
            today = fields.Date.context_today(self)
            for line in advance:
                line.return_due_date = today + timedelta(
                    days=line.rma_id.template_id.max_ship_days or 14
                )
            # sudo: the replacement leaves whoever approves (stock rights not needed)
            self.sudo()._create_pickings(advance.sudo(), "replacement")

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
        """approved → awaiting receipt: the receipt at the hub's RMA location."""
        self._check_state(("approved",), self.env._("Requesting the return"))
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
        self.check_access("write")
        # sudo: the receipt is made for the service user (no stock rights needed)
        self.sudo()._create_pickings(self.line_ids.sudo(), "receipt")
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
        self._create_repairs(lines.filtered(lambda line: line.disposition == "repair"))
        self._create_pickings(
            lines.filtered(lambda line: line.disposition == "replace"), "replacement"
        )
        self._create_pickings(
            lines.filtered(lambda line: line.disposition == "return_only"),
            "return_customer",
        )
        self._create_pickings(
            lines.filtered(
                lambda line: (
                    line.disposition in DISPOSAL_DISPOSITIONS and not line.vendor_return
                )
            ),
            "disposal",
        )
        self._create_vendor_returns(
            lines.filtered(
                lambda line: line.vendor_return and not line.vendor_picking_id
            )
        )
        self._create_refunds(lines.filtered(lambda line: line.disposition == "refund"))
        self._create_scraps(lines.filtered(lambda line: line.disposition == "scrap"))
        self._check_done()

    def action_done(self):
        """processing → done, when every line is resolved."""
        self._check_state(("processing",), self.env._("Closing"))
        unresolved = self.line_ids.filtered(lambda line: not line.resolved)
        if unresolved:
            raise UserError(
                self.env._(
                    "These lines are not finished yet: %(lines)s",
                    lines=", ".join(unresolved.product_id.mapped("display_name")),
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
    # Documents
    # ------------------------------------------------------------------

    def _picking_values(self, kind, lines):
        """Values of one picking of ``kind`` for ``lines`` of this RMA."""
        self.ensure_one()
        warehouse = self.warehouse_id
        customer_location = self.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )
        rma_location = warehouse.aftersales_rma_location_id
        partner = self.partner_id
        if kind == "receipt":
            picking_type = warehouse.aftersales_rma_type_id
            source, destination = customer_location, rma_location
        elif kind == "replacement":
            picking_type = warehouse.out_type_id
            source, destination = warehouse.lot_stock_id, customer_location
        elif kind == "return_customer":
            picking_type = warehouse.out_type_id
            source, destination = rma_location, customer_location
        elif kind == "disposal":
            picking_type = warehouse.int_type_id
            source, destination = rma_location, False
        else:  # vendor
            picking_type = warehouse.out_type_id
            source, destination = rma_location, False
            partner = lines.vendor_id[:1]
            destination = partner.property_stock_supplier or self.env.ref(
                "stock.stock_location_suppliers"
            )
        moves = []
        for line in lines:
            product = line.product_id
            quantity = line.qty_received if kind != "receipt" else line.quantity
            if kind == "receipt":
                quantity = line.quantity - line.qty_received
            if kind == "replacement":
                product = line.replacement_product_id or line.product_id
                quantity = (
                    line.quantity
                    if line.disposition == "advance_replacement"
                    else line.qty_received
                )
            move_destination = destination or (
                line.return_location_id or warehouse.lot_stock_id
            )
            moves.append(
                Command.create(
                    {
                        "name": self.name,
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": move_destination.id,
                        "aftersales_rma_line_id": line.id,
                        "company_id": self.company_id.id,
                        "partner_id": partner.id,
                    }
                )
            )
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": (destination or warehouse.lot_stock_id).id,
            "origin": self.name,
            "aftersales_rma_id": self.id,
            "aftersales_rma_kind": kind,
            "company_id": self.company_id.id,
            "move_ids": moves,
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
        values = []
        for rma, rma_lines in lines.grouped("rma_id").items():
            if kind == "disposal":
                for group in rma_lines.grouped("return_location_id").values():
                    values.append(rma._picking_values(kind, group))
            else:
                values.append(rma._picking_values(kind, rma_lines))
        pickings = self.env["stock.picking"].sudo().create(values)
        pickings.action_confirm()
        to_reserve = pickings.filtered(lambda p: p.picking_type_code != "incoming")
        if to_reserve:
            to_reserve.action_assign()
        directions = {
            "receipt": "customer_to_hub",
            "replacement": "hub_to_customer",
            "return_customer": "hub_to_customer",
            "vendor": "hub_to_supplier",
        }
        if kind in directions:
            shipments = (
                self.env["aftersales.shipment"]
                .sudo()
                ._create_for_pickings(pickings, directions[kind])
            )
            self._prefill_shipments(shipments, kind)
        return pickings.sudo(False)

    @api.model
    def _prefill_shipments(self, shipments, kind):
        """The customs basics an RMA knows: the template's incoterm and why the
        goods cross the border (left alone when the shipment already has them)."""
        reasons = {
            "receipt": "repair_return",
            "replacement": "replacement",
            "return_customer": "repaired_return",
            "vendor": "warranty_exchange",
        }
        for shipment in shipments:
            values = {}
            incoterm = shipment.rma_id.template_id.incoterm_id
            if incoterm and not shipment.incoterm_id:
                values["incoterm_id"] = incoterm.id
            if not shipment.export_reason:
                values["export_reason"] = reasons[kind]
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
            [
                {
                    "move_type": "in_refund",
                    "partner_id": line.vendor_id.id,
                    "company_id": line.company_id.id,
                    "currency_id": line.currency_id.id,
                    "invoice_origin": line.rma_id.name,
                    "ref": line.lot_id.name or line.rma_id.name,
                    "aftersales_rma_id": line.rma_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "quantity": line.qty_received or line.quantity,
                                "price_unit": (
                                    line.vendor_credit_amount
                                    / (line.qty_received or line.quantity)
                                    if line.vendor_credit_amount
                                    else line.product_id.standard_price
                                ),
                            }
                        )
                    ],
                }
                for line in lines
            ]
        )
        for line, refund in zip(lines, refunds, strict=True):
            line.vendor_refund_id = refund

    def _create_repairs(self, lines):
        """One repair order per line, at the RMA location; warranty-covered lines
        are repaired under warranty (free to the customer)."""
        if not lines:
            return self.env["repair.order"]
        values = []
        for line in lines:
            warehouse = line.rma_id.warehouse_id
            rma_location = warehouse.aftersales_rma_location_id
            values.append(
                {
                    "product_id": line.product_id.id,
                    "product_qty": line.qty_received,
                    "product_uom": line.product_id.uom_id.id,
                    "lot_id": (line.received_lot_ids[:1] or line.lot_id).id,
                    "partner_id": line.rma_id.partner_id.id,
                    "company_id": line.company_id.id,
                    "picking_type_id": warehouse.repair_type_id.id,
                    "product_location_src_id": rma_location.id,
                    "product_location_dest_id": rma_location.id,
                    "under_warranty": line.warranty_decision == "covered",
                    "aftersales_rma_line_id": line.id,
                    "internal_notes": line.reason_note or False,
                }
            )
        repairs = self.env["repair.order"].create(values)
        for line, repair in zip(lines, repairs, strict=True):
            line.repair_id = repair
        return repairs

    def _create_scraps(self, lines):
        """Scrap the received units."""
        for line in lines:
            warehouse = line.rma_id.warehouse_id
            scrap = self.env["stock.scrap"].create(
                {
                    "product_id": line.product_id.id,
                    "product_uom_id": line.product_id.uom_id.id,
                    "scrap_qty": line.qty_received,
                    "lot_id": (line.received_lot_ids[:1] or line.lot_id).id,
                    "location_id": warehouse.aftersales_rma_location_id.id,
                    "company_id": line.company_id.id,
                    "origin": line.rma_id.name,
                }
            )
            scrap.action_validate()
            line.scrap_id = scrap

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
            groups[(line.rma_id, invoice_line.move_id if invoice_line else None)] |= (
                line
            )
        values = []
        keys = []
        for (rma, invoice), group in groups.items():
            line_commands = []
            for line in group:
                invoice_line = origins.get(line)
                line.origin_invoice_line_id = invoice_line
                line_vals = {
                    "product_id": line.product_id.id,
                    "quantity": line.qty_received,
                    "name": self.env._(
                        "%(rma)s: return of %(product)s %(serial)s",
                        rma=rma.name,
                        product=line.product_id.display_name,
                        serial=(line.received_lot_ids[:1] or line.lot_id).name or "",
                    ),
                }
                if invoice_line:
                    line_vals.update(
                        price_unit=invoice_line.price_unit,
                        discount=invoice_line.discount,
                        tax_ids=[Command.set(invoice_line.tax_ids.ids)],
                        product_uom_id=invoice_line.product_uom_id.id,
                    )
                    line_vals["quantity"] = line.product_id.uom_id._compute_quantity(
                        line.qty_received, invoice_line.product_uom_id
                    )
                else:
                    line_vals["price_unit"] = line.product_id.lst_price
                line_commands.append(Command.create(line_vals))
            partner = invoice.partner_id if invoice else rma.partner_id
            values.append(
                {
                    "move_type": "out_refund",
                    "partner_id": partner.id,
                    "company_id": rma.company_id.id,
                    "currency_id": (
                        invoice.currency_id if invoice else rma.currency_id
                    ).id,
                    "reversed_entry_id": invoice.id if invoice else False,
                    "invoice_origin": invoice.name if invoice else rma.name,
                    "ref": self.env._("Return %(rma)s", rma=rma.name),
                    "aftersales_rma_id": rma.id,
                    "invoice_line_ids": line_commands,
                }
            )
            keys.append(group)
        refunds = self.env["account.move"].create(values)
        for group, refund in zip(keys, refunds, strict=True):
            group.refund_move_id = refund
        return refunds

    # ------------------------------------------------------------------
    # Events from the documents
    # ------------------------------------------------------------------

    def _on_pickings_done(self, pickings):
        """Called when RMA pickings are validated."""
        receipts = pickings.filtered(lambda p: p.aftersales_rma_kind == "receipt")
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
        candidates = Line.search(
            base + [("deposit_move_id", "=", False), ("return_due_date", "<", today)],
            limit=batch_size,
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
        values = []
        for line in lines:
            template = line.rma_id.template_id
            missing = line.quantity - line.qty_received
            product = line.replacement_product_id or line.product_id
            amount = template.advance_deposit_amount
            currency = template.currency_id
            if not amount:
                amount, currency = product.lst_price, line.currency_id
            values.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": line.rma_id.partner_id.id,
                    "company_id": line.company_id.id,
                    "currency_id": currency.id,
                    "invoice_origin": line.rma_id.name,
                    "aftersales_rma_id": line.rma_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": template.advance_deposit_product_id.id,
                                "name": self.env._(
                                    "%(rma)s: faulty %(product)s %(serial)s "
                                    "not returned",
                                    rma=line.rma_id.name,
                                    product=line.product_id.display_name,
                                    serial=line.lot_id.name or "",
                                ),
                                "quantity": missing,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
            )
        invoices = self.env["account.move"].create(values)
        invoices.action_post()
        for line, invoice in zip(lines, invoices, strict=True):
            line.deposit_move_id = invoice
            line.rma_id.message_post(
                body=self.env._(
                    "Deposit invoice %(invoice)s: the faulty unit was not returned by "
                    "%(date)s.",
                    invoice=invoice.name,
                    date=line.return_due_date,
                )
            )
        return invoices
