from odoo import fields, models


class AccountMoveLine(models.Model):
    """A vendor bill line may name the shipment leg whose freight it bills: once
    the bill is posted, it is a freight cost of the leg's case (README, "Cost of
    every case")."""

    _inherit = "account.move.line"

    aftersales_shipment_id = fields.Many2one(
        "aftersales.shipment",
        string="Shipment Leg",
        index="btree_not_null",
        check_company=True,
        # copied: the credit note reversing a bill names the same leg
        help="The shipment leg this vendor bill line bills the freight of: a "
        "freight cost of the leg's case once the bill is posted.",
    )

    def _aftersales_record_freight(self):
        """Record the freight cost lines of these posted bill lines and drop
        the estimates of their legs: the same number of queries for any number
        of lines."""
        vals_list = self._prepare_aftersales_freight_cost_line_vals()
        if not vals_list:
            return self.env["aftersales.cost.line"]
        lines = self.env["aftersales.cost.line"].sudo()._create_from_sources(vals_list)
        self.aftersales_shipment_id._aftersales_drop_freight_estimate()
        return lines

    def _prepare_aftersales_freight_cost_line_vals(self):
        """Cost line values of these posted vendor bill lines naming a shipment
        leg of an RMA: the line's balance in company currency (a credit note's
        is negative), paid as the leg's freight is."""
        vals_list = []
        for line in self:
            move = line.move_id
            shipment = line.aftersales_shipment_id
            if (
                move.state != "posted"
                or move.move_type not in ("in_invoice", "in_refund")
                or not shipment.rma_id
                or line.display_type != "product"
                or line.company_currency_id.is_zero(line.balance)
            ):
                continue
            vals_list.append(
                {
                    "name": self.env._(
                        "Freight %(leg)s (%(bill)s)", leg=shipment.name, bill=move.name
                    ),
                    "rma_id": shipment.rma_id.id,
                    "ticket_id": shipment.rma_id.ticket_id.id,
                    "company_id": line.company_id.id,
                    "currency_id": line.company_currency_id.id,
                    "cost_type": "freight",
                    "payer": shipment._aftersales_cost_payer(),
                    "amount": line.balance,
                    "date": move.invoice_date or move.date,
                    "source_ref": f"{line._name},{line.id}",
                    "source_key": f"{line._name},{line.id},freight",
                }
            )
        return vals_list
