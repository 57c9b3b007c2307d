from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import PART_REQUEST_STATES, PART_STATES

PART_STATE_RANK = {state: rank for rank, (state, _label) in enumerate(PART_STATES)}


class AftersalesPartRequest(models.Model):
    """Spare parts an engineer asks for a ticket or a repair. Confirmed, each
    line is sourced from the best warehouse (``tools/part_sourcing.py``) and
    procured through Odoo's routes: a delivery from stock, an inter-warehouse
    resupply of the service warehouse, or a purchase. Parts the customer pays
    wait for the customer's acceptance of their quotation."""

    _name = "aftersales.part.request"
    _description = "Spare Part Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.state.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "ticket_id.name", "partner_id.name"]
    _check_company_auto = True

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="New", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    state = fields.Selection(
        PART_REQUEST_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        compute="_compute_ticket_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    repair_id = fields.Many2one(
        "repair.order", index="btree_not_null", check_company=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Engineer",
        default=lambda s: s.env.user,
        index=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        help="Where the parts are sent.",
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        help="The case's country: a source warehouse in this country comes first.",
    )
    service_warehouse_id = fields.Many2one(
        "stock.warehouse",
        compute="_compute_service_warehouse_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="The warehouse that delivers the parts to the customer (the "
        "engineer's van, a local service warehouse). Parts sourced elsewhere "
        "resupply it first (Odoo's inter-warehouse resupply route). Empty: the "
        "source warehouse delivers them.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Source Warehouse",
        compute="_compute_warehouse_id",
        store=True,
        index="btree_not_null",
        help="The source warehouse of the lines (the first when they differ).",
    )
    line_ids = fields.One2many(
        "aftersales.part.request.line", "request_id", string="Parts", copy=True
    )
    chargeable = fields.Boolean(
        string="Customer Pays",
        compute="_compute_chargeable",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The customer pays these parts (the case is not covered by the "
        "warranty): they are sent once the customer accepts their quotation.",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Quotation",
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    # the quotation as every engineer sees it (related fields read it in sudo):
    # opening it needs sales rights
    sale_order_name = fields.Char(related="sale_order_id.name", string="Quotation No.")
    sale_order_state = fields.Selection(
        related="sale_order_id.state", string="Quotation Status"
    )
    customer_accepted_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    procurement_group_id = fields.Many2one(
        "procurement.group",
        copy=False,
        readonly=True,
        help="Keeps the request's stock moves together along the routes.",
    )
    move_ids = fields.One2many("stock.move", "aftersales_part_request_id")
    shipment_ids = fields.One2many(
        "aftersales.shipment", "part_request_id", string="Shipments"
    )
    parts_state = fields.Selection(
        PART_STATES,
        string="Parts Status",
        compute="_compute_parts_state",
        store=True,
        index=True,
        help="Where the parts are: the least advanced line.",
    )
    note = fields.Html()
    picking_count = fields.Integer(compute="_compute_counts")
    purchase_count = fields.Integer(compute="_compute_counts")
    shipment_count = fields.Integer(compute="_compute_counts")

    @api.depends("repair_id")
    def _compute_ticket_id(self):
        for request in self:
            if request.repair_id and not request.ticket_id:
                request.ticket_id = request.repair_id.aftersales_rma_id.ticket_id

    @api.depends("ticket_id", "repair_id")
    def _compute_partner_id(self):
        for request in self:
            request.partner_id = (
                request.ticket_id.partner_id
                or request.repair_id.partner_id
                or request.partner_id
            )

    @api.depends("partner_id", "repair_id")
    def _compute_country_id(self):
        # a repair's parts go to its workshop: the country of its warehouse
        for request in self:
            workshop = request.repair_id.picking_type_id.warehouse_id
            request.country_id = (
                workshop.partner_id.country_id
                if workshop
                else request.partner_id._aftersales_country()
            )

    @api.depends("user_id", "company_id")
    def _compute_service_warehouse_id(self):
        vans = self.env["stock.warehouse"].search(
            [("aftersales_engineer_id", "in", self.user_id.ids)]
        )
        by_user = {(w.aftersales_engineer_id, w.company_id): w for w in vans}
        for request in self:
            van = by_user.get((request.user_id, request.company_id))
            if van:
                request.service_warehouse_id = van

    @api.depends("line_ids.warehouse_id")
    def _compute_warehouse_id(self):
        for request in self:
            request.warehouse_id = request.line_ids.warehouse_id[:1]

    @api.depends(
        "ticket_id.warranty_decision",
        "repair_id.under_warranty",
        "repair_id.aftersales_rma_line_id.warranty_decision",
    )
    def _compute_chargeable(self):
        # as the costs are split (tools/cost_split.py): only a covered case is
        # the warranty's; a partly covered or undecided one is charged
        for request in self:
            if request.repair_id:
                decision = (
                    request.repair_id.aftersales_rma_line_id.warranty_decision
                    or (request.repair_id.under_warranty and "covered")
                )
            else:
                decision = request.ticket_id.warranty_decision
            request.chargeable = decision != "covered"

    @api.depends("state", "line_ids.parts_state")
    def _compute_parts_state(self):
        for request in self:
            states = [
                s for s in request.line_ids.mapped("parts_state") if s != "cancel"
            ]
            if request.state == "cancel" or (request.line_ids and not states):
                request.parts_state = "cancel"
            elif not states:
                request.parts_state = "new"
            else:
                request.parts_state = min(states, key=PART_STATE_RANK.get)

    def _compute_counts(self):
        # sudo: a service user sees how many documents the request has even
        # without stock or purchase rights (opening them still needs the rights)
        for request, request_sudo in zip(self, self.sudo(), strict=True):
            request.picking_count = len(request_sudo.move_ids.picking_id)
            request.purchase_count = len(request_sudo._purchase_orders())
            request.shipment_count = len(request_sudo.shipment_ids)

    @api.constrains("ticket_id", "repair_id")
    def _check_case(self):
        for request in self:
            if not request.ticket_id and not request.repair_id:
                raise ValidationError(
                    self.env._("A spare part request belongs to a ticket or a repair.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ir.sequence"]._aftersales_number_vals(
            "aftersales.part.request", vals_list
        )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(request.state not in ("draft", "cancel") for request in self):
            raise UserError(
                self.env._("Only draft or cancelled part requests can be deleted.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """draft → sourced: every line gets its source warehouse; parts the
        customer pays get a quotation and wait for the customer's acceptance,
        the others are procured at once."""
        self._check_state(("draft",), self.env._("Confirming"))
        for request in self:
            if not request.line_ids:
                raise UserError(
                    self.env._("%(request)s has no part.", request=request.name)
                )
            if not request.partner_id:
                raise UserError(
                    self.env._(
                        "Set the customer of %(request)s first.", request=request.name
                    )
                )
        self.check_access("write")
        # sudo: the engineer reads the stock of the source warehouses to choose
        # (no stock rights needed)
        self.line_ids.sudo()._source()
        # a repair's parts are charged through the repair's own quotation
        charged = self.filtered(lambda r: r.chargeable and not r.repair_id)
        if charged:
            # sudo: the engineer makes the quotation without sales rights
            charged.sudo()._create_quotations()
            charged.write({"state": "to_approve"})
        free = self - charged
        if free:
            # sudo: the parts are procured for the engineer (no stock rights)
            free.sudo()._procure()
        return True

    def action_customer_accepted(self):
        """An agent records the customer's acceptance (by phone, by email): the
        quotation is confirmed and the parts are procured."""
        self._check_state(("to_approve",), self.env._("Recording the acceptance"))
        self.check_access("write")
        # sudo: the agent confirms the quotation without sales rights; the
        # confirmation procures the parts (sale.order.action_confirm)
        orders = self.sudo().sale_order_id.filtered(
            lambda o: o.state in ("draft", "sent")
        )
        orders.action_confirm()
        # a quotation confirmed before (or none): procure what still waits
        waiting = self.filtered(lambda r: r.state == "to_approve")
        if waiting:
            waiting.sudo()._on_customer_accepted()
        return True

    def _on_customer_accepted(self):
        """The customer accepted the quotation (online or as an agent recorded):
        the parts are procured."""
        todo = self.filtered(lambda r: r.state == "to_approve")
        if not todo:
            return
        todo.customer_accepted_date = fields.Datetime.now()
        for request in todo:
            request.message_post(
                body=self.env._(
                    "The customer accepted the quotation %(order)s: the parts are "
                    "procured.",
                    order=request.sale_order_id.name or "",
                )
            )
        todo._procure()

    def action_done(self):
        """sourced → done: the parts delivered and not returned are consumed."""
        self._check_state(("confirmed",), self.env._("Closing"))
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        """Cancel the request, its open transfers and its quotation."""
        self._check_state(
            ("draft", "to_approve", "confirmed"), self.env._("Cancelling")
        )
        self.check_access("write")
        # sudo: the engineer cancels the request's own documents
        self_sudo = self.sudo()
        self_sudo.move_ids.picking_id.filtered(
            lambda p: p.state not in ("done", "cancel")
        ).action_cancel()
        self_sudo.sale_order_id.filtered(
            lambda o: o.state in ("draft", "sent")
        )._action_cancel()
        self.write({"state": "cancel"})
        return True

    def action_draft(self):
        self._check_state(("cancel",), self.env._("Resetting to draft"))
        self.write({"state": "draft", "sale_order_id": False})
        return True

    # ------------------------------------------------------------------
    # Quotation
    # ------------------------------------------------------------------

    def _create_quotations(self):
        orders = self.env["sale.order"].create(
            [request._prepare_sale_order_vals() for request in self]
        )
        for request, order in zip(self, orders, strict=True):
            request.sale_order_id = order
            for line, sale_line in zip(
                request.line_ids, order.order_line, strict=False
            ):
                line.sale_line_id = sale_line
        return orders

    def _prepare_sale_order_vals(self):
        """The quotation of the parts, for the customer to accept online (a
        signature) or through an agent (**Customer Accepted**)."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "client_order_ref": self.ticket_id.name or self.repair_id.name or False,
            "require_signature": True,
            "require_payment": False,
            "user_id": self.user_id.id,
            "aftersales_part_request_id": self.id,
            "order_line": [
                Command.create(self._prepare_sale_line_vals(line))
                for line in self.line_ids
            ],
        }

    def _prepare_sale_line_vals(self, line):
        return {
            "product_id": line.product_id.id,
            "product_uom_qty": line.quantity,
            "product_uom": line.product_id.uom_id.id,
        }

    # ------------------------------------------------------------------
    # Procurement
    # ------------------------------------------------------------------

    def _procurement_groups(self):
        missing = self.filtered(lambda r: not r.procurement_group_id)
        if missing:
            groups = self.env["procurement.group"].create(
                [
                    {"name": request.name, "partner_id": request.partner_id.id}
                    for request in missing
                ]
            )
            for request, group in zip(missing, groups, strict=True):
                request.procurement_group_id = group

    def _procure(self):
        """Run the procurements of the lines: first the delivery of each line
        to the customer by its delivering warehouse's route, then what supplies
        that delivery (Odoo's resupply route from the source warehouse, or its
        buy route); the deliveries' shipment legs are created."""
        self._procurement_groups()
        self.write({"state": "confirmed"})
        lines = self.line_ids.filtered(lambda line: line.quantity > 0)
        Group = self.env["procurement.group"]
        before = lines.move_ids
        for_repairs = lines.filtered(lambda line: line.request_id.repair_id)
        if for_repairs:
            # the parts of a repair are its parts lines (Odoo's repair moves):
            # the repair reserves and consumes them
            self.env["stock.move"].create(
                [line._prepare_repair_move_vals() for line in for_repairs]
            )
        deliveries = lines - for_repairs
        if deliveries:
            Group.run(
                [
                    Group.Procurement(*line._prepare_procurement_args("delivery"))
                    for line in deliveries
                ]
            )
        supplied = lines.filtered(lambda line: line.sourcing != "stock")
        supplied._ensure_resupply_routes()
        if supplied:
            Group.run(
                [
                    Group.Procurement(*line._prepare_procurement_args("supply"))
                    for line in supplied
                ]
            )
        moves = lines.move_ids - before
        # a part taken below its minimum raises the warehouse's replenishment
        # (its orderpoints), as a confirmed transfer does
        moves.filtered(
            lambda m: m.state not in ("draft", "cancel", "done")
        )._trigger_scheduler()
        moves.filtered(
            lambda m: m.state in ("confirmed", "partially_available")
        )._action_assign()
        pickings = moves.picking_id
        self._create_shipments(pickings)
        return pickings

    def _create_shipments(self, pickings):
        """A shipment leg (carrier, tracking, customs papers) for each transfer
        of the parts that leaves a warehouse: to the customer, or to the
        service warehouse it resupplies."""
        Shipment = self.env["aftersales.shipment"]
        for direction, legs in (
            pickings.filtered(lambda p: p.picking_type_code == "outgoing")
            .grouped(
                lambda p: (
                    "hub_to_customer"
                    if p.location_dest_id.usage == "customer"
                    else "hub_to_repair"
                )
            )
            .items()
        ):
            shipments = Shipment._create_for_pickings(legs, direction)
            for shipment in shipments:
                request = shipment.picking_id.move_ids.aftersales_part_request_id[:1]
                shipment.write(
                    {
                        "part_request_id": request.id,
                        "export_reason": "sale"
                        if request.chargeable
                        else "replacement",
                    }
                )

    def _purchase_orders(self):
        return self.move_ids.created_purchase_line_ids.order_id

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------

    def _action_view(self, records, name):
        action = records._get_records_action(name=name)
        action["context"] = {"create": False}
        return action

    def action_view_pickings(self):
        return self._action_view(self.move_ids.picking_id, self.env._("Transfers"))

    def action_view_purchases(self):
        return self._action_view(self._purchase_orders(), self.env._("Purchases"))

    def action_view_shipments(self):
        return self._action_view(self.shipment_ids, self.env._("Shipments"))

    def action_view_sale_order(self):
        return self._action_view(self.sale_order_id, self.env._("Quotation"))
