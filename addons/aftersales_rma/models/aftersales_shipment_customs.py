from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

# Reasons for export with no sale behind them: the goods travel for repair or as
# a free warranty exchange, their value is declared for customs purposes only.
NO_COMMERCIAL_VALUE_REASONS = ("repair_return", "repaired_return", "warranty_exchange")
# Legs leaving our side: we ship, the partner receives.
OUTBOUND_DIRECTIONS = ("hub_to_customer", "hub_to_repair", "hub_to_supplier")


class AftersalesShipment(models.Model):
    """Customs data of a shipment leg: lines, totals and the printed documents.

    Kept apart from ``aftersales_shipment.py`` (the leg and its tracking) so that
    two existing fields can become computed here without touching their
    declaration there: ``export_reason`` defaults from the direction and
    ``declared_value`` from the lines, both still editable.
    """

    _inherit = "aftersales.shipment"

    export_reason = fields.Selection(
        compute="_compute_export_reason", store=True, readonly=False, precompute=True
    )
    declared_value = fields.Monetary(
        compute="_compute_declared_value",
        store=True,
        readonly=False,
        help="Total value declared to customs. Defaults to the total of the customs "
        "lines and is recomputed when they change.",
    )
    line_ids = fields.One2many(
        "aftersales.shipment.line", "shipment_id", string="Customs Lines", copy=True
    )
    amount_total = fields.Monetary(
        string="Lines Total",
        currency_field="currency_id",
        compute="_compute_totals",
        store=True,
    )
    net_weight = fields.Float(
        string="Net Weight (kg)",
        digits="Stock Weight",
        compute="_compute_totals",
        store=True,
    )
    gross_weight = fields.Float(
        string="Gross Weight (kg)",
        digits="Stock Weight",
        compute="_compute_gross_weight",
        store=True,
        readonly=False,
        help="Weight with packaging. Defaults to the shipping weight of the packages "
        "of the transfer, or to the net weight.",
    )
    package_count = fields.Integer(
        string="Number of Packages",
        compute="_compute_package_count",
        store=True,
        readonly=False,
        precompute=True,
    )
    customs_no_commercial_value = fields.Boolean(
        string="No Commercial Value",
        compute="_compute_customs_no_commercial_value",
        help="The goods are not sold: the documents say so and the value is for "
        "customs purposes only.",
    )

    @api.depends("direction", "rma_id")
    def _compute_export_reason(self):
        for shipment in self:
            shipment.export_reason = shipment._default_export_reason()

    @api.depends("line_ids.price_subtotal")
    def _compute_declared_value(self):
        for shipment in self:
            shipment.declared_value = sum(shipment.line_ids.mapped("price_subtotal"))

    @api.depends("line_ids.price_subtotal", "line_ids.total_weight")
    def _compute_totals(self):
        for shipment in self:
            shipment.amount_total = sum(shipment.line_ids.mapped("price_subtotal"))
            shipment.net_weight = sum(shipment.line_ids.mapped("total_weight"))

    @api.depends(
        "net_weight",
        "picking_id.move_line_ids.result_package_id.shipping_weight",
    )
    def _compute_gross_weight(self):
        for shipment in self:
            packages = shipment.picking_id.move_line_ids.result_package_id
            packed = sum(pack.shipping_weight or pack.weight for pack in packages)
            shipment.gross_weight = max(packed, shipment.net_weight)

    @api.depends("picking_id.move_line_ids.result_package_id")
    def _compute_package_count(self):
        for shipment in self:
            shipment.package_count = (
                len(shipment.picking_id.move_line_ids.result_package_id) or 1
            )

    @api.depends("export_reason")
    def _compute_customs_no_commercial_value(self):
        for shipment in self:
            shipment.customs_no_commercial_value = (
                shipment.export_reason in NO_COMMERCIAL_VALUE_REASONS
            )

    def action_fill_customs_lines(self):
        """Replace the customs lines by the goods of the transfer or of the RMA."""
        # the transfer is read as superuser (service users need no inventory
        # rights): whoever fills the lines must be allowed to change the shipments
        self.check_access("write")
        vals_list = []
        for shipment in self:
            shipment_vals = shipment._prepare_customs_lines()
            if not shipment_vals:
                raise UserError(
                    self.env._(
                        "Shipment %s has neither a transfer nor RMA lines to take the "
                        "customs lines from.",
                        shipment.display_name,
                    )
                )
            vals_list += shipment_vals
        self.line_ids.unlink()
        self.env["aftersales.shipment.line"].create(vals_list)
        return True

    def action_print_customs_invoice(self):
        return self.env.ref(
            "aftersales_rma.action_report_aftersales_customs_invoice"
        ).report_action(self)

    def action_print_packing_list(self):
        return self.env.ref(
            "aftersales_rma.action_report_aftersales_packing_list"
        ).report_action(self)

    def _prepare_customs_lines(self):
        """Values of the customs lines of this shipment.

        From the transfer when there is one (its move lines, with their serial
        numbers, or its moves while nothing is reserved), else from the RMA lines.
        Description, weight, value, HS code and origin are computed on the lines
        from the product (values in the shipment currency).

        Reads the transfer as superuser: the caller checks that the user may
        write the shipment (see ``action_fill_customs_lines``).
        """
        self.ensure_one()
        quantities = defaultdict(float)  # (product, lot, uom) -> quantity
        # sudo: service users have no inventory rights (stock.picking, stock.move)
        # and still fill the customs lines of the transfers the RMA made for them
        moves_sudo = self.sudo().picking_id.move_ids.filtered(
            lambda m: m.state != "cancel"
        )

        def returned_lot(move_sudo):
            """The serial a customer sends back, before the receipt records it:
            the one of its RMA line."""
            if self.direction != "customer_to_hub":
                return move_sudo.lot_ids.browse()
            return move_sudo.aftersales_rma_line_id.lot_id

        if moves_sudo:
            move_lines_sudo = moves_sudo.move_line_ids.filtered("quantity")
            if move_lines_sudo:
                for move_line_sudo in move_lines_sudo:
                    key = (
                        move_line_sudo.product_id,
                        move_line_sudo.lot_id or returned_lot(move_line_sudo.move_id),
                        move_line_sudo.product_uom_id,
                    )
                    quantities[key] += move_line_sudo.quantity
            else:
                for move_sudo in moves_sudo:
                    key = (
                        move_sudo.product_id,
                        move_sudo.lot_ids[:1] or returned_lot(move_sudo),
                        move_sudo.product_uom,
                    )
                    quantities[key] += move_sudo.product_uom_qty
        else:
            to_customer = self.direction == "hub_to_customer"
            for rma_line in self.rma_id.line_ids:
                lot = rma_line.lot_id
                if to_customer:
                    if rma_line.disposition in ("refund", "scrap"):
                        continue  # nothing goes back to the customer
                    if rma_line.disposition in ("replace", "advance_replacement"):
                        # a new unit leaves: its serial is known once picked
                        lot = lot.browse()
                uom = rma_line.uom_id or rma_line.product_id.uom_id
                quantities[(rma_line.product_id, lot, uom)] += rma_line.quantity
        return [
            {
                "shipment_id": self.id,
                "sequence": sequence,
                "product_id": product.id,
                "lot_id": lot.id,
                "uom_id": uom.id,
                "quantity": quantity,
            }
            for sequence, ((product, lot, uom), quantity) in enumerate(
                quantities.items(), start=1
            )
            if quantity > 0
        ]

    def _default_export_reason(self):
        """Reason for export implied by the direction of the leg and the RMA."""
        self.ensure_one()
        if not self.direction:
            return False
        if self.direction == "supplier_to_hub":
            return "repaired_return"
        if self.direction != "hub_to_customer":
            return "repair_return"  # defective goods travel to be repaired
        replaced = self.rma_id.line_ids.filtered(
            lambda line: line.disposition in ("replace", "advance_replacement")
        )
        if not replaced:
            return "repaired_return"
        if all(line.warranty_decision == "covered" for line in replaced):
            return "warranty_exchange"
        return "replacement"

    def _get_customs_parties(self):
        """(shipper, consignee) partners of this leg for the customs documents."""
        self.ensure_one()
        # sudo: the warehouse of the transfer, which service users printing the
        # documents have no inventory rights to read
        warehouse_sudo = self.sudo().picking_id.picking_type_id.warehouse_id
        our_side = warehouse_sudo.partner_id.sudo(False) or self.company_id.partner_id
        their_side = self.partner_id or self.rma_id.partner_id
        if self.direction in OUTBOUND_DIRECTIONS:
            return our_side, their_side
        return their_side, our_side

    def _get_customs_report_lang(self):
        """Language of the customs documents: the customer's."""
        self.ensure_one()
        partner = self.partner_id or self.rma_id.partner_id
        return partner.lang or self.company_id.partner_id.lang or self.env.lang

    def _get_customs_document_date(self):
        """Date of the customs documents: the shipping date, else today."""
        self.ensure_one()
        return fields.Date.context_today(self, self.date_shipped or None)
