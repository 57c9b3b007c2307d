from odoo import fields, models

# the RMA template's freight payer as the payer of a cost line
FREIGHT_PAYER = {"company": "warranty", "customer": "customer", "dealer": "dealer"}


class AftersalesShipment(models.Model):
    """What a shipment leg costs: the carrier's freight and the customs duties
    and taxes of its lines, cost lines of the case when the leg's transfer is
    validated (README, "Cost of every case")."""

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
            if shipment.freight_cost:
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
