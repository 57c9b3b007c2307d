from datetime import date

from odoo import Command

from .common import RmaCase
from .common_claim import ClaimCase


class RecoveryCase(RmaCase, ClaimCase):
    """A probe maker billing in EUR whose serials came in on a real purchase
    receipt, its responsibility ratios (50 % by default, 80 % for the probe),
    EUR rates of April and May 2026, and cases on those serials."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.recovery.ratio"].search([]).active = False
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Probe Maker GmbH",
                "is_company": True,
                "property_purchase_currency_id": cls.eur.id,
            }
        )
        cls.other_supplier = cls.env["res.partner"].create(
            {"name": "No Ratio Components Ltd", "is_company": True}
        )
        cls.linear_probe = cls._serial_product(
            "Linear Probe L12", "REC-L12", cls.categ_ultrasound
        )
        cls.env["res.currency.rate"].search(
            [("currency_id", "=", cls.eur.id), ("name", ">=", date(2026, 1, 1))]
        ).unlink()
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.eur.id,
                    "name": date(2026, 4, 1),
                    "rate": 0.9,
                    "company_id": cls.company.id,
                },
                {
                    "currency_id": cls.eur.id,
                    "name": date(2026, 5, 1),
                    "rate": 0.8,
                    "company_id": cls.company.id,
                },
            ]
        )
        Ratio = cls.env["aftersales.recovery.ratio"]
        cls.ratio_default = Ratio.create({"partner_id": cls.supplier.id, "ratio": 50.0})
        cls.ratio_probe = Ratio.create(
            {
                "partner_id": cls.supplier.id,
                "product_id": cls.linear_probe.id,
                "ratio": 80.0,
            }
        )
        cls.lots = cls._purchase_receive(
            cls.supplier, cls.linear_probe, ["L12-1", "L12-2", "L12-3"]
        )
        cls.lot_other = cls._purchase_receive(
            cls.other_supplier, cls.linear_probe, ["L12-9"]
        )
        cls.finance.write(
            {
                "groups_id": [
                    Command.link(cls.env.ref("account.group_account_invoice").id)
                ]
            }
        )

    @classmethod
    def _purchase_receive(cls, vendor, product, names):
        """A confirmed purchase of ``vendor`` received with these serials."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_qty": len(names)}
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        move = picking.move_ids
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_name": name,
                    "quantity": 1,
                    "picked": True,
                }
                for name in names
            ]
        )
        picking.button_validate()
        assert picking.state == "done"
        return picking.move_line_ids.lot_id.sorted("name")

    def _case(self, lot, **values):
        return self._ticket(
            product_id=lot.product_id.id,
            lot_id=lot.id,
            partner_id=self.customer_de.id,
            **values,
        )

    def _cost(self, ticket, amount, day, payer="warranty", cost_type="other"):
        return self.env["aftersales.cost.line"].create(
            {
                "ticket_id": ticket.id,
                "name": f"{cost_type} {amount}",
                "cost_type": cost_type,
                "payer": payer,
                "amount": amount,
                "date": day,
            }
        )

    def _propose(self):
        return self.env["aftersales.recovery"]._propose(self.company)
