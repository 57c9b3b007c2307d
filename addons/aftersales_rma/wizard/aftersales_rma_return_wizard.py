from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class AftersalesRmaReturnWizard(models.TransientModel):
    _name = "aftersales.rma.return.wizard"
    _description = "RMA from a Customer Delivery"

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        domain="[('picking_type_code', '=', 'outgoing'), ('state', '=', 'done')]",
    )
    partner_id = fields.Many2one(related="picking_id.partner_id")
    line_ids = fields.One2many(
        "aftersales.rma.return.wizard.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("picking_id")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            for values in wizard.picking_id._aftersales_returnable_values():
                commands.append(Command.create(values))
            wizard.line_ids = commands

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if (
            "picking_id" in fields_list
            and not res.get("picking_id")
            and self.env.context.get("active_model") == "stock.picking"
        ):
            res["picking_id"] = self.env.context.get("active_id")
        return res

    def action_create_rma(self):
        self.ensure_one()
        picking = self.picking_id
        if picking.picking_type_code != "outgoing" or picking.state != "done":
            raise UserError(self.env._("Only a validated delivery can be returned."))
        lines = self.line_ids.filtered(
            lambda line: not float_is_zero(line.quantity, precision_digits=6)
        )
        if not lines:
            raise UserError(
                self.env._("Set the quantity to return on a line at least.")
            )
        returnable = defaultdict(float)
        for values in picking._aftersales_returnable_values():
            returnable[(values["move_id"], values["lot_id"])] += values["max_quantity"]
        for line in lines:
            key = (line.move_id.id, line.lot_id.id)
            if float_compare(line.quantity, returnable[key], precision_digits=6) > 0:
                raise UserError(
                    self.env._(
                        "You can return at most %(qty)s %(product)s of %(picking)s: "
                        "the rest was not delivered or is already being returned.",
                        qty=returnable[key],
                        product=line.product_id.display_name,
                        picking=picking.name,
                    )
                )
            returnable[key] -= line.quantity
        order = picking.sale_id
        rma = self.env["aftersales.rma"].create(
            {
                "partner_id": (
                    order.partner_id or picking.partner_id
                ).commercial_partner_id.id,
                "dealer_id": order.aftersales_dealer_id.id if order else False,
                "company_id": picking.company_id.id,
                "origin_picking_id": picking.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "lot_id": line.lot_id.id,
                            "quantity": line.quantity,
                            "reason": line.reason,
                            "disposition": line.disposition,
                            "origin_move_id": line.move_id.id,
                            "sale_line_id": line.move_id.sale_line_id.id,
                        }
                    )
                    for line in lines
                ],
            }
        )
        return rma._get_records_action(name=self.env._("RMA"))
