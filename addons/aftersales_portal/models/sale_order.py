from odoo import Command, api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, float_compare, float_is_zero

# how many orders the portal's "Request a Return" page lists at most
RETURN_ORDERS_LIMIT = 20


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Portal: an RMA for a delivered order line
    # ------------------------------------------------------------------

    def _aftersales_portal_check_customer(self):
        """Only the order's customer (its commercial partner: the end customer,
        or the staff and admins of the dealer that bought it) asks for a return
        of it on the portal: read access by the portal rule (the order's
        followers) is not enough. Raises AccessError."""
        self.ensure_one()
        self.check_access("read")
        customer = self.sudo().partner_id.commercial_partner_id
        if customer != self.env.user.partner_id.commercial_partner_id:
            raise AccessError(
                self.env._("Only the order's customer can request a return of it.")
            )

    def _aftersales_portal_returnable(self):
        """``{sale.order.line (sudo): [returnable values]}`` of this order's lines
        with something delivered left to return, for its customer; empty for a
        quotation or a cancelled order. Raises AccessError for anyone else."""
        self.ensure_one()
        self._aftersales_portal_check_customer()
        order_sudo = self.sudo()  # the checks above: the user is the customer
        if order_sudo.state != "sale":
            return {}
        lines_sudo = order_sudo.order_line.filtered(
            lambda line: not line.display_type and line.qty_delivered > 0
        )
        values = lines_sudo._aftersales_returnable_values()
        return {line: values[line.id] for line in lines_sudo if values[line.id]}

    @api.model
    def _aftersales_portal_returnable_orders(self):
        """The portal user's own confirmed orders with lines to return, most
        recent first (at most RETURN_ORDERS_LIMIT): ``[(order (sudo),
        {line (sudo): [values]})]``. The orders are found by the user's search
        (Odoo's portal rule on sale.order) among their company's."""
        if not self.has_access("read"):
            return []
        customer = self.env.user.partner_id.commercial_partner_id
        orders = self.search(
            [
                ("state", "=", "sale"),
                ("partner_id", "child_of", customer.id),
                ("order_line.qty_delivered", ">", 0),
            ],
            order="date_order desc, id desc",
            limit=RETURN_ORDERS_LIMIT,
        )
        result = []
        for order in orders:
            lines = order._aftersales_portal_returnable()
            if lines:
                result.append((order.sudo(), lines))
        return result

    def _aftersales_portal_request_return(self, values):
        """Create and submit an RMA of a delivered line of this order for the
        portal user who is its customer. ``values`` is the portal form as typed
        (``line_id``, ``quantity``, ``serial``, ``reason``, ``note``). Returns
        ``(rma, errors)``: the RMA the user may now read, or an empty RMA and the
        messages per field. Raises AccessError if the user may not read the
        order or is not its customer."""
        self.ensure_one()
        Rma = self.env["aftersales.rma"]
        self._aftersales_portal_check_customer()
        order_sudo = self.sudo()  # the user is the order's customer (checked)
        line_id = str(values.get("line_id") or "")
        line_sudo = order_sudo.order_line.filtered(
            lambda line: str(line.id) == line_id and not line.display_type
        )
        if not line_sudo:
            return Rma, {"line_id": self.env._("Choose a line of this order.")}
        # one request at a time per line: two concurrent ones must not both take
        # the same remaining quantity
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sale_order_line WHERE id = %s FOR UPDATE",
                line_sudo.id,
            )
        )
        errors, allocation = order_sudo._aftersales_portal_check_return(
            line_sudo, values
        )
        if errors:
            return Rma, errors
        reason = values.get("reason")
        note = (values.get("note") or "").strip()
        rma_sudo = Rma.sudo().create(
            order_sudo._prepare_aftersales_portal_rma_vals(
                line_sudo, allocation, reason, note
            )
        )
        rma = rma_sudo._portal_submit_request(note, self.env.user)
        return rma.with_env(self.env), {}

    def _aftersales_portal_check_return(self, line, values):
        """The messages per field of a return request of ``line`` (sudo) and,
        when there are none, the quantities to return per delivered move and
        serial: ``(errors, [(values of the delivery, quantity)])``."""
        self.ensure_one()
        _ = self.env._
        errors = {}
        returnable = line._aftersales_returnable_values()[line.id]
        if not returnable:
            if line._aftersales_delivered_moves():
                errors["line_id"] = _(
                    "Everything delivered on this line is already being returned."
                )
            else:
                errors["line_id"] = _("This line has not been delivered yet.")
            return errors, []
        precision = line.product_id.uom_id.rounding
        try:
            quantity = float((values.get("quantity") or "").replace(",", "."))
        except ValueError:
            quantity = 0.0
        if quantity <= 0 or float_is_zero(quantity, precision_rounding=precision):
            errors["quantity"] = _("Enter a quantity greater than zero.")
        reasons = dict(self.env["aftersales.rma.line"]._fields["reason"].selection)
        if values.get("reason") not in reasons:
            errors["reason"] = _("Choose a reason of the list.")
        if line.product_id.tracking != "none":
            serial = (values.get("serial") or "").strip()
            lots = self.env["stock.lot"].browse(
                {v["lot_id"] for v in returnable if v["lot_id"]}
            )
            lot = lots.filtered(lambda lot: lot.name == serial)
            if not serial:
                errors["serial"] = _("This field is required.")
            elif not lot:
                delivered = line._aftersales_delivered_moves().move_line_ids.lot_id
                if serial in delivered.mapped("name"):
                    errors["serial"] = _(
                        "This serial number is already being returned."
                    )
                else:
                    errors["serial"] = _(
                        "This serial number was not delivered on this line."
                    )
            returnable = [v for v in returnable if v["lot_id"] == lot.id]
        if errors:
            return errors, []
        remaining = sum(v["max_quantity"] for v in returnable)
        if float_compare(quantity, remaining, precision_rounding=precision) > 0:
            errors["quantity"] = _(
                "You can return at most %(quantity)s %(unit)s of this line: the "
                "rest was not delivered or is already being returned.",
                quantity="%g" % remaining,
                unit=line.product_id.uom_id.name,
            )
            return errors, []
        allocation = []
        left = quantity
        for delivered in returnable:
            if float_is_zero(left, precision_rounding=precision):
                break
            taken = min(left, delivered["max_quantity"])
            allocation.append((delivered, taken))
            left -= taken
        return errors, allocation

    def _prepare_aftersales_portal_rma_vals(self, line, allocation, reason, note):
        """Values of the RMA a portal customer asks for: the order's customer,
        its selling dealer (or the customer itself when it is a dealer of the
        network, so that its distributor sees the return too), one line per
        delivered move and serial linked to the sale line and the move."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        dealer = self.aftersales_dealer_id
        if not dealer and customer.aftersales_role in ("dealer", "distributor"):
            dealer = customer
        moves = self.env["stock.move"].browse([v["move_id"] for v, _qty in allocation])
        pickings = moves.picking_id
        return {
            "partner_id": customer.id,
            "dealer_id": dealer.id,
            "company_id": self.company_id.id,
            "origin_picking_id": pickings.id if len(pickings) == 1 else False,
            "user_id": False,  # not the portal user (the default): the team assigns
            "line_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "lot_id": delivered["lot_id"],
                        "quantity": quantity,
                        "reason": reason,
                        "reason_note": note or False,
                        "origin_move_id": delivered["move_id"],
                        "sale_line_id": line.id,
                    }
                )
                for delivered, quantity in allocation
            ],
        }
