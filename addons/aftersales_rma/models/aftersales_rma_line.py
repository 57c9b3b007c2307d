from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.aftersales_service.const import WARRANTY_DECISIONS

from ..const import (
    DISPOSITION_DOCUMENTS,
    DISPOSITIONS,
    SHIPPED_LEGS,
)


class AftersalesRmaLine(models.Model):
    _name = "aftersales.rma.line"
    _description = "RMA Line"
    _order = "rma_id, sequence, id"
    _check_company_auto = True

    rma_id = fields.Many2one(
        "aftersales.rma", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="rma_id.company_id", store=True, index=True)
    state = fields.Selection(related="rma_id.state", store=True)
    partner_id = fields.Many2one(related="rma_id.partner_id")
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", required=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id")
    reason = fields.Selection(
        [
            ("defective", "Defective"),
            ("damaged", "Damaged in Transit"),
            ("wrong_item", "Wrong Item"),
            ("not_as_described", "Not as Described"),
            ("doa", "Dead on Arrival"),
            ("other", "Other"),
        ],
        default="defective",
        required=True,
        index=True,
    )
    reason_note = fields.Char()
    disposition = fields.Selection(
        DISPOSITIONS, default="repair", required=True, index=True
    )
    warranty_decision = fields.Selection(
        WARRANTY_DECISIONS,
        index=True,
        compute="_compute_warranty_decision",
        store=True,
        readonly=False,
        precompute=True,
        help="From the ticket's decision, else from the serial's warranty "
        "registration; can be changed.",
    )
    currency_id = fields.Many2one(related="rma_id.currency_id")
    price_unit = fields.Monetary(
        string="Unit Value",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        currency_field="currency_id",
    )
    amount = fields.Monetary(
        string="Value",
        compute="_compute_amount",
        store=True,
        currency_field="currency_id",
    )
    # where the goods come from
    origin_move_id = fields.Many2one(
        "stock.move",
        string="Delivered Move",
        index="btree_not_null",
        copy=False,
        help="The customer delivery this line returns.",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sale Order Line", index="btree_not_null", copy=False
    )
    # stock
    move_ids = fields.One2many("stock.move", "aftersales_rma_line_id", string="Moves")
    qty_received = fields.Float(
        compute="_compute_quantities", store=True, digits="Product Unit of Measure"
    )
    qty_replaced = fields.Float(
        string="Qty Shipped Back",
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
    )
    received_lot_ids = fields.Many2many(
        "stock.lot",
        "aftersales_rma_line_received_lot_rel",
        string="Received Serials",
        compute="_compute_quantities",
        store=True,
    )
    serial_mismatch = fields.Boolean(
        compute="_compute_quantities",
        store=True,
        index=True,
        help="The serial received differs from the line's serial.",
    )
    replacement_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        help="Substitute shipped instead of the same product.",
    )
    replacement_lot_ids = fields.Many2many(
        "stock.lot",
        "aftersales_rma_line_replacement_lot_rel",
        string="Shipped Serials",
        compute="_compute_quantities",
        store=True,
    )
    return_location_id = fields.Many2one(
        "stock.location",
        string="Returned Unit To",
        check_company=True,
        domain="['|', ('usage', '=', 'internal'), ('scrap_location', '=', True)]",
        help="Where the returned unit goes (stock, repair area, scrap) once "
        "received; the warehouse's stock when empty.",
    )
    # repair
    repair_id = fields.Many2one(
        "repair.order", string="Repair Order", index="btree_not_null", copy=False
    )
    repair_state = fields.Selection(related="repair_id.state", string="Repair Status")
    scrap_id = fields.Many2one("stock.scrap", copy=False)
    # money
    refund_move_id = fields.Many2one(
        "account.move", string="Credit Note", index="btree_not_null", copy=False
    )
    origin_invoice_line_id = fields.Many2one(
        "account.move.line", string="Original Invoice Line", copy=False
    )
    # advance replacement
    return_due_date = fields.Date(copy=False, index="btree_not_null")
    return_overdue = fields.Boolean(copy=False, index=True, readonly=True)
    reminder_date = fields.Date(string="Reminded On", copy=False, readonly=True)
    deposit_move_id = fields.Many2one(
        "account.move", string="Deposit Invoice", copy=False, readonly=True
    )
    deposit_error = fields.Text(
        copy=False,
        readonly=True,
        help="Why the last try to invoice the deposit failed (tried again by the "
        "next run of the cron).",
    )
    # return to vendor
    vendor_return = fields.Boolean(
        string="Return to Vendor",
        help="The unit is covered by the supplier's warranty.",
    )
    vendor_id = fields.Many2one("res.partner", check_company=True)
    vendor_credit_amount = fields.Monetary(
        string="Expected Vendor Credit", currency_field="currency_id"
    )
    vendor_picking_id = fields.Many2one(
        "stock.picking", string="Vendor Return", copy=False, check_company=True
    )
    vendor_refund_id = fields.Many2one(
        "account.move", string="Vendor Credit Note", copy=False
    )
    vendor_return_state = fields.Selection(
        [
            ("to_send", "To Send"),
            ("shipped", "Shipped to Vendor"),
            ("credited", "Vendor Credit Received"),
        ],
        compute="_compute_vendor_return_state",
        store=True,
        index="btree_not_null",
    )
    resolved = fields.Boolean(
        compute="_compute_resolved",
        store=True,
        help="Everything the disposition needs is done.",
    )
    waiting_for = fields.Char(
        string="Waits For",
        compute="_compute_waiting_for",
        help="The documents this line waits for before the RMA can be closed.",
    )

    @api.depends("rma_id.ticket_id.warranty_decision", "lot_id")
    def _compute_warranty_decision(self):
        # without a ticket (or for another serial than the ticket's): the decision
        # for the registration that counts, today (aftersales.warranty's API)
        lines = self.filtered(
            lambda line: line.lot_id and line.lot_id != line.rma_id.ticket_id.lot_id
        )
        Warranty = self.env["aftersales.warranty"]
        counting = Warranty._counting_for_lots(lines.lot_id)
        today = fields.Date.context_today(self)
        for line in self:
            ticket = line.rma_id.ticket_id
            if ticket and (not line.lot_id or line.lot_id == ticket.lot_id):
                line.warranty_decision = ticket.warranty_decision
            elif line.lot_id:
                warranty = counting.get(line.lot_id.id, Warranty.sudo())
                line.warranty_decision = warranty._decision_for(
                    warranty._status_on(today)
                )[0]
            elif not line.warranty_decision:
                line.warranty_decision = False

    @api.depends("product_id", "sale_line_id")
    def _compute_price_unit(self):
        for line in self:
            if line.sale_line_id:
                line.price_unit = line.sale_line_id.currency_id._convert(
                    line.sale_line_id.price_unit,
                    line.company_id.currency_id or line.env.company.currency_id,
                    line.company_id or line.env.company,
                    fields.Date.context_today(line),
                )
            else:
                line.price_unit = line.product_id.lst_price

    @api.depends("price_unit", "quantity")
    def _compute_amount(self):
        for line in self:
            line.amount = line.price_unit * line.quantity

    @api.depends(
        "move_ids.state",
        "move_ids.quantity",
        "move_ids.move_line_ids.lot_id",
        "move_ids.picking_id.aftersales_rma_kind",
        "move_ids.picking_code",
        "move_ids.location_dest_id",
        "move_ids.location_final_id",
        "lot_id",
    )
    def _compute_quantities(self):
        for line in self:
            done = line.move_ids.filtered(lambda m: m.state == "done")
            receipts = done.filtered(lambda m: m._aftersales_is_rma_arrival())
            shipped = done.filtered(
                lambda m: (
                    m.picking_code == "outgoing"
                    and m.picking_id.aftersales_rma_kind in SHIPPED_LEGS
                )
            )
            line.qty_received = sum(
                m.product_uom._compute_quantity(m.quantity, line.uom_id)
                for m in receipts
            )
            line.qty_replaced = sum(
                m.product_uom._compute_quantity(m.quantity, m.product_id.uom_id)
                for m in shipped
            )
            line.received_lot_ids = receipts.move_line_ids.lot_id
            line.replacement_lot_ids = shipped.filtered(
                lambda m: m.picking_id.aftersales_rma_kind == "replacement"
            ).move_line_ids.lot_id
            line.serial_mismatch = bool(
                line.lot_id
                and line.received_lot_ids
                and line.received_lot_ids != line.lot_id
            )

    @api.depends("vendor_return", "vendor_picking_id.state", "vendor_refund_id.state")
    def _compute_vendor_return_state(self):
        for line in self:
            if not line.vendor_return:
                line.vendor_return_state = False
            elif line.vendor_refund_id.state == "posted":
                line.vendor_return_state = "credited"
            elif line.vendor_picking_id.state == "done":
                line.vendor_return_state = "shipped"
            else:
                line.vendor_return_state = "to_send"

    @api.depends(
        "disposition",
        "quantity",
        "qty_received",
        "qty_replaced",
        "move_ids.state",
        "move_ids.picking_id.aftersales_rma_kind",
        "repair_id.state",
        "scrap_id.state",
        "refund_move_id.state",
        "vendor_picking_id.state",
    )
    def _compute_resolved(self):
        for line in self:
            line.resolved = line._is_resolved()

    @api.depends(
        "disposition",
        "qty_received",
        "move_ids.state",
        "move_ids.picking_id.aftersales_rma_kind",
        "repair_id.state",
        "scrap_id.state",
        "refund_move_id.state",
        "vendor_return",
        "vendor_picking_id.state",
    )
    def _compute_waiting_for(self):
        # sudo: a service user sees which document a line waits for (its name)
        # without stock, repair or invoicing rights (opening it needs the rights)
        for line, line_sudo in zip(self, self.sudo(), strict=True):
            line.waiting_for = "; ".join(line_sudo._waiting_for()) or False

    def _is_resolved(self):
        self.ensure_one()
        return not self._unfinished_documents()

    def _unfinished_documents(self):
        """``[(document, records)]``: what this line still waits for, following
        ``DISPOSITION_DOCUMENTS`` (``records``: the open documents, empty when not
        made yet). Empty when the line is resolved."""
        self.ensure_one()
        if not self.disposition:  # a new line in a form
            return []
        spec = DISPOSITION_DOCUMENTS[self.disposition]
        received = float_compare(self.qty_received, 0, precision_digits=6) > 0
        if not received and not spec["ships_first"]:
            # nothing came back (a backorder refused): nothing left to do
            return []
        unfinished = []
        for document in spec["waits_for"]:
            if not self._document_done(document):
                unfinished.append((document, self._open_documents(document)))
        if spec["put_away"] and received:
            document = "vendor" if self.vendor_return else "disposal"
            if not self._document_done(document):
                unfinished.append((document, self._open_documents(document)))
        return unfinished

    def _leg_moves(self, kind):
        return self.move_ids.filtered(
            lambda m: m.picking_id.aftersales_rma_kind == kind
        )

    def _document_done(self, document):
        if document == "receipt":
            return float_compare(self.qty_received, 0, precision_digits=6) > 0
        if document == "vendor":
            return self.vendor_picking_id.state == "done"
        if document == "repair":
            return self.repair_id.state in ("done", "cancel")
        if document == "refund":
            return self.refund_move_id.state == "posted"
        if document == "scrap":
            return self.scrap_id.state == "done"
        moves = self._leg_moves(document)
        return bool(moves) and all(m.state in ("done", "cancel") for m in moves)

    def _open_documents(self, document):
        records = {
            "vendor": self.vendor_picking_id,
            "repair": self.repair_id,
            "refund": self.refund_move_id,
            "scrap": self.scrap_id,
        }.get(document)
        if records is None:
            records = self._leg_moves(document).picking_id
        return records.filtered(lambda r: r.state not in ("done", "cancel", "posted"))

    def _document_labels(self):
        return {
            "receipt": self.env._("the receipt of the returned unit"),
            "replacement": self.env._("the replacement delivery"),
            "return_customer": self.env._("the delivery back to the customer"),
            "disposal": self.env._("the put-away transfer of the returned unit"),
            "vendor": self.env._("the return to the vendor"),
            "repair": self.env._("the repair order"),
            "refund": self.env._("the credit note to post"),
            "scrap": self.env._("the scrap order"),
        }

    def _waiting_for(self):
        """What this line waits for, in words: e.g. "the repair order
        WH/RO/00003", "the credit note to post Draft Credit Note (* 12)"."""
        self.ensure_one()
        labels = self._document_labels()
        texts = []
        for document, records in self._unfinished_documents():
            if records:
                texts.append(
                    self.env._(
                        "%(document)s %(names)s",
                        document=labels[document],
                        names=", ".join(records.mapped("display_name")),
                    )
                )
            else:
                texts.append(
                    self.env._("%(document)s (not made yet)", document=labels[document])
                )
        return texts

    def _display_for_message(self):
        self.ensure_one()
        if self.lot_id:
            return f"{self.product_id.display_name} ({self.lot_id.name})"
        return self.product_id.display_name

    @api.constrains("quantity", "lot_id")
    def _check_quantity(self):
        for line in self:
            if float_compare(line.quantity, 0, precision_digits=6) <= 0:
                raise ValidationError(
                    self.env._("The quantity of an RMA line must be positive.")
                )
            if (
                line.lot_id
                and line.product_id.tracking == "serial"
                and line.quantity != 1
            ):
                raise ValidationError(
                    self.env._(
                        "A line with serial %(serial)s returns one unit, not %(qty)s.",
                        serial=line.lot_id.name,
                        qty=line.quantity,
                    )
                )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id and not self.product_id:
            self.product_id = self.lot_id.product_id

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_return_to_vendor(self):
        """Ship the received units of these lines to their vendor and expect a
        vendor credit (a draft vendor credit note)."""
        for line in self:
            if not line.vendor_id:
                raise UserError(
                    self.env._(
                        "Set the vendor of %(product)s first.",
                        product=line.product_id.display_name,
                    )
                )
            if line.rma_id.state not in ("received", "processing"):
                raise UserError(
                    self.env._("Only received goods can go back to the vendor.")
                )
            if line.vendor_picking_id:
                raise UserError(
                    self.env._("This line is already returned to its vendor.")
                )
        self.vendor_return = True
        self.check_access("write")
        # sudo: the vendor picking and credit note need stock and invoicing rights
        self.rma_id.sudo()._create_vendor_returns(self.sudo())
        return True

    def action_view_repair(self):
        self.ensure_one()
        return self.repair_id._get_records_action(name=self.env._("Repair"))
