from odoo import fields, models

# the RMA template's freight payer as the payer of a cost line
FREIGHT_PAYER = {"company": "warranty", "customer": "customer", "dealer": "dealer"}


class AftersalesShipment(models.Model):
    """What a shipment leg costs: the carrier's freight and the customs duties
    and taxes of its lines, cost lines of the case when the leg's transfer is
    validated (README, "Cost of every case"). A posted vendor bill naming the
    leg replaces its estimated freight: the leg's own freight line goes while a
    posted bill line bills it."""

    _inherit = "aftersales.shipment"

    freight_cost = fields.Monetary(
        currency_field="currency_id",
        help="What the carrier charges for this leg, in the shipment currency.",
    )

    def _aftersales_cost_payer(self):
        """Freight, duties and taxes are paid as the RMA's template says."""
        self.ensure_one()
        return FREIGHT_PAYER.get(self.rma_id.freight_payer, "warranty")

    def _prepare_aftersales_cost_line_vals(self):
        """Cost line values of these legs: the freight and, per customs line
        carrying one, its duties and taxes (each line's ``source_key`` unique)."""
        vals_list = []
        today = fields.Date.context_today(self)
        billed = self._aftersales_freight_billed()
        for shipment in self.filtered("rma_id"):
            common = {
                "rma_id": shipment.rma_id.id,
                "ticket_id": shipment.rma_id.ticket_id.id,
                "company_id": shipment.company_id.id,
                "currency_id": shipment.currency_id.id,
                "payer": shipment._aftersales_cost_payer(),
                "date": fields.Date.to_date(shipment.date_shipped) or today,
                "source_ref": f"{shipment._name},{shipment.id}",
            }
            key = f"{shipment._name},{shipment.id}"
            if shipment.freight_cost and shipment not in billed:
                vals_list.append(
                    dict(
                        common,
                        name=self.env._("Freight %(leg)s", leg=shipment.name),
                        cost_type="freight",
                        amount=shipment.freight_cost,
                        source_key=f"{key},freight",
                    )
                )
            for line in shipment.line_ids:
                for field, label in (
                    ("duty_amount", self.env._("Duties")),
                    ("tax_amount", self.env._("Import taxes")),
                ):
                    if not line[field]:
                        continue
                    vals_list.append(
                        dict(
                            common,
                            name=f"{label}: {line.name}",
                            cost_type="duty",
                            product_id=line.product_id.id,
                            quantity=line.quantity,
                            amount=line[field],
                            source_key=f"{key},{field},{line.id}",
                        )
                    )
        return vals_list

    def _aftersales_freight_billed(self):
        """Those of these legs whose freight a posted vendor bill (or credit
        note) line bills, in one query."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                [
                    ("aftersales_shipment_id", "in", self.ids),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "in", ("in_invoice", "in_refund")),
                ],
                ["aftersales_shipment_id"],
            )
        )
        return lines.aftersales_shipment_id.with_env(self.env)

    def _aftersales_drop_freight_estimate(self):
        """Remove the estimated freight lines of these legs (a posted bill
        replaces them)."""
        keys = [f"{self._name},{shipment.id},freight" for shipment in self]
        self.env["aftersales.cost.line"].sudo().search(
            [("source_key", "in", keys)]
        ).unlink()

    def _aftersales_restore_freight_estimate(self):
        """Record again the estimated freight of these legs whose transfer is
        validated and that no posted bill bills any more."""
        done = self.sudo().filtered(lambda s: s.picking_id.state == "done")
        vals_list = [
            vals
            for vals in done._prepare_aftersales_cost_line_vals()
            if vals["cost_type"] == "freight"
        ]
        if vals_list:
            self.env["aftersales.cost.line"].sudo()._create_from_sources(vals_list)
