from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import PART_SOURCINGS, PART_STATES
from ..tools.part_sourcing import Candidate, rank_sources


class AftersalesPartRequestLine(models.Model):
    _name = "aftersales.part.request.line"
    _description = "Spare Part Request Line"
    _order = "request_id, sequence, id"
    _check_company_auto = True

    request_id = fields.Many2one(
        "aftersales.part.request",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    quantity = fields.Float(
        default=1.0, required=True, digits="Product Unit of Measure"
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Faulty Part Serial",
        check_company=True,
        help="The serial number of the faulty part this one replaces.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Source Warehouse",
        index="btree_not_null",
        check_company=True,
        help="Chosen on confirmation by the sourcing rule; empty: the part is bought.",
    )
    sourcing = fields.Selection(PART_SOURCINGS, string="Sourced By", readonly=True)
    sourcing_note = fields.Char(readonly=True)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Quotation Line", readonly=True, copy=False
    )
    move_ids = fields.One2many("stock.move", "aftersales_part_line_id")
    qty_reserved = fields.Float(
        string="Reserved",
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
    )
    qty_in_transit = fields.Float(
        string="In Transit",
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
    )
    qty_delivered = fields.Float(
        string="Delivered",
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
    )
    qty_returned = fields.Float(
        string="Returned Unused",
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
    )
    qty_consumed = fields.Float(
        string="Consumed",
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
    )
    parts_state = fields.Selection(
        PART_STATES,
        string="Parts Status",
        compute="_compute_quantities",
        store=True,
        index=True,
    )

    @api.depends(
        "quantity",
        "request_id.state",
        "move_ids.state",
        "move_ids.quantity",
        "move_ids.picking_id.aftersales_shipment_ids.status",
    )
    def _compute_quantities(self):
        for line in self:
            values = line._part_quantities()
            line.update(values)
            line.parts_state = line._part_state(values)

    def _part_quantities(self):
        """Where the line's parts are, from its stock moves: reserved for the
        step that takes them now, in transit (between two warehouses, or to the
        customer while the shipment leg is not delivered), delivered, returned
        unused by the customer (Odoo's return of the delivery), and consumed
        (by the done repair, or delivered and not returned once the request is
        done)."""
        self.ensure_one()
        uom = self.product_id.uom_id
        reserved = transit = delivered = returned = consumed = 0.0
        for move in self.move_ids:
            quantity = move.product_uom._compute_quantity(move.quantity, uom)
            source, destination = move.location_id.usage, move.location_dest_id.usage
            if move.state == "done":
                if destination == "customer":
                    legs = move.picking_id.aftersales_shipment_ids
                    if legs and any(leg.status != "delivered" for leg in legs):
                        transit += quantity
                    else:
                        delivered += quantity
                elif destination == "production":
                    consumed += quantity  # by its repair
                elif source == "customer":
                    returned += quantity
                elif destination == "transit":
                    transit += quantity
                elif source == "transit":
                    transit -= quantity
            elif move.state != "cancel" and source == "internal":
                if all(orig.state == "done" for orig in move.move_orig_ids):
                    reserved += quantity
        done = self.request_id.state == "done"
        return {
            "qty_reserved": reserved,
            "qty_in_transit": max(transit, 0.0),
            "qty_delivered": delivered,
            "qty_returned": returned,
            "qty_consumed": consumed
            + (max(delivered - returned, 0.0) if done else 0.0),
        }

    def _part_state(self, values):
        self.ensure_one()
        state = self.request_id.state
        if state == "cancel":
            return "cancel"
        if state in ("draft", "to_approve") or not self.move_ids:
            return "new"
        if values["qty_consumed"] > 0:
            return "consumed"
        if values["qty_returned"] and values["qty_returned"] >= values["qty_delivered"]:
            return "returned"
        if values["qty_delivered"] >= self.quantity:
            return "delivered"
        if values["qty_in_transit"] > 0:
            return "in_transit"
        if values["qty_reserved"] + values["qty_delivered"] >= self.quantity:
            return "reserved"
        if all(move.state == "cancel" for move in self.move_ids):
            return "cancel"
        return "waiting"

    @api.constrains("quantity")
    def _check_quantity(self):
        if any(line.quantity <= 0 for line in self):
            raise ValidationError(
                self.env._("The quantity of a part must be positive.")
            )

    # ------------------------------------------------------------------
    # Sourcing
    # ------------------------------------------------------------------

    def _source_candidates(self):
        """The warehouses that source spare parts, per company."""
        return self.env["stock.warehouse"].search(
            [
                ("aftersales_part_source", "=", True),
                ("company_id", "in", self.company_id.ids),
            ]
        )

    def _source(self):
        """Choose each line's source warehouse by the sourcing rule
        (``tools/part_sourcing.py``): the lines that already have one keep it.
        One read of the free quantities per candidate warehouse."""
        todo = self.filtered(lambda line: not line.warehouse_id)
        warehouses = todo._source_candidates()
        free = warehouses._aftersales_free_qty(todo.product_id) if todo else {}
        for line in todo:
            candidates = [
                Candidate(
                    warehouse,
                    warehouse.partner_id.country_id,
                    free.get((warehouse, line.product_id), 0.0),
                    warehouse.aftersales_lead_days,
                    warehouse.aftersales_source_sequence,
                )
                for warehouse in warehouses
                if warehouse.company_id == line.company_id
            ]
            ranked = rank_sources(candidates, line.request_id.country_id, line.quantity)
            if ranked:
                line.warehouse_id = ranked[0].key
                line.sourcing_note = self.env._(
                    "%(count)s of %(candidates)s warehouses have it on hand; "
                    "%(warehouse)s: %(on_hand)s on hand, %(days)s days.",
                    count=len(ranked),
                    candidates=len(candidates),
                    warehouse=ranked[0].key.name,
                    on_hand=ranked[0].on_hand,
                    days=ranked[0].lead_days,
                )
            else:
                line.sourcing_note = self.env._(
                    "No source warehouse has it on hand: it is bought."
                )
        for line in self:
            delivering = line._delivering_warehouse()
            if not line.warehouse_id:
                line.sourcing = "purchase"
            elif line.warehouse_id == delivering:
                line.sourcing = "stock"
            else:
                line.sourcing = "resupply"

    def _delivering_warehouse(self):
        """The warehouse that delivers the part to the customer: the request's
        service warehouse, else the source warehouse, else the first central
        source warehouse (where a bought part is received)."""
        self.ensure_one()
        request = self.request_id
        if request.repair_id:
            return request.repair_id.picking_type_id.warehouse_id
        warehouse = request.service_warehouse_id or self.warehouse_id
        if not warehouse:
            sources = self.env["stock.warehouse"].search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("aftersales_part_source", "=", True),
                ],
                order="aftersales_source_sequence, id",
            )
            warehouse = sources.sorted(lambda w: w.aftersales_source_kind != "central")[
                :1
            ] or self.env["stock.warehouse"].search(
                [("company_id", "=", self.company_id.id)], limit=1
            )
        return warehouse

    def _prepare_repair_move_vals(self):
        """The parts line of the request's repair (a repair move that adds the
        part): reserved in the repair's parts location, consumed when the
        repair is done."""
        self.ensure_one()
        repair = self.request_id.repair_id
        return {
            "repair_id": repair.id,
            "repair_line_type": "add",
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
            "product_uom": self.product_id.uom_id.id,
            "company_id": repair.company_id.id,
            "aftersales_part_line_id": self.id,
            "restrict_partner_id": self._aftersales_stock_owner().id,
        }

    def _aftersales_stock_owner(self):
        """The dealer who owns the line's parts when its source warehouse is a
        consignment stock (its moves reserve only his quants), else no one (its
        moves reserve only the company's own quants)."""
        self.ensure_one()
        return self.warehouse_id._aftersales_stock_owner()

    def _ensure_resupply_routes(self):
        """A service warehouse resupplied from another source warehouse gets
        Odoo's resupply route from it (the warehouse's *Resupply From*)."""
        for line in self.filtered(lambda line: line.sourcing == "resupply"):
            delivering = line._delivering_warehouse()
            if line.warehouse_id not in delivering.resupply_wh_ids:
                # sudo: the engineer's request adds the route (a warehouse setting)
                delivering.sudo().resupply_wh_ids = [(4, line.warehouse_id.id)]

    def _prepare_procurement_args(self, step):
        """(product, quantity, unit, location, name, origin, company, values) of
        the line's procurement ``step``: ``delivery`` (from the delivering
        warehouse to the customer) or ``supply`` (into the delivering
        warehouse's stock, for its delivery: by the resupply route from the
        source warehouse, or by the buy route)."""
        self.ensure_one()
        request = self.request_id
        delivering = self._delivering_warehouse()
        values = {
            "group_id": request.procurement_group_id,
            "warehouse_id": delivering,
            "partner_id": request.partner_id.id,
            "aftersales_part_line_id": self.id,
            "date_planned": fields.Datetime.now(),
            "company_id": request.company_id,
        }
        owner = self._aftersales_stock_owner()
        if owner:
            values["restrict_partner_id"] = owner.id
        if step == "delivery":
            location = request.partner_id.property_stock_customer or self.env.ref(
                "stock.stock_location_customers"
            )
            if self.sale_line_id:
                values["sale_line_id"] = self.sale_line_id.id
        else:
            location = request.repair_id.location_id or delivering.lot_stock_id
            # the delivery's first step (the repair's parts line) takes what this
            # procurement brings
            values["move_dest_ids"] = self.move_ids.filtered(
                lambda m: (
                    m.location_id == location and m.state not in ("done", "cancel")
                )
            )
            if self.sourcing == "resupply":
                values["route_ids"] = delivering.resupply_route_ids.filtered(
                    lambda r: r.supplier_wh_id == self.warehouse_id
                )
            else:
                values["route_ids"] = delivering.buy_pull_id.route_id
        return (
            self.product_id,
            self.quantity,
            self.product_id.uom_id,
            location,
            request.name,
            request.name,
            request.company_id,
            values,
        )
