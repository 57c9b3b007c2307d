from odoo import Command
from odoo.tests import BaseCase, tagged

from ..tools.cost_split import split_costs
from .test_cost_line import CostCase


class TestCostSplit(BaseCase):
    """Who pays, as a pure function: no database."""

    def test_partly_covered_with_deductible(self):
        shares = split_costs(
            [("parts", 300.0), ("labour", 120.0), ("freight", 80.0)],
            "partial",
            {"parts": 50.0, "labour": 80.0},
            deductible=100.0,
        )
        # parts 150/150, labour 96/24, freight the warranty's; the deductible
        # moves 100 of the warranty's parts share to the customer
        self.assertEqual(
            shares,
            [
                {"warranty": 50.0, "customer": 250.0},
                {"warranty": 96.0, "customer": 24.0},
                {"warranty": 80.0},
            ],
        )

    def test_deductible_never_more_than_the_warranty_bears(self):
        shares = split_costs([("parts", 100.0)], "partial", {"parts": 10.0}, 50.0)
        self.assertEqual(shares, [{"customer": 100.0}])

    def test_decisions(self):
        costs = [("parts", 10.0), ("travel", 5.0)]
        self.assertEqual(
            split_costs(costs, "covered", deductible=3.0),
            [{"warranty": 10.0}, {"warranty": 5.0}],
        )
        self.assertEqual(
            split_costs(costs, "chargeable"), [{"customer": 10.0}, {"customer": 5.0}]
        )
        self.assertEqual(
            split_costs(costs, False), [{"customer": 10.0}, {"customer": 5.0}]
        )
        self.assertEqual(
            split_costs(costs, "covered", dealer=True),
            [{"dealer": 10.0}, {"dealer": 5.0}],
        )


@tagged("post_install", "-at_install")
class TestCostSources(CostCase):
    """Cost lines from the documents themselves: a done repair with parts and
    labour, a validated RMA transfer with its shipment leg's freight and customs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_eu.write(
            {"parts_coverage": 50.0, "labour_coverage": 80.0, "deductible_amount": 50.0}
        )
        cls.labour = cls.env["product.product"].create(
            {
                "name": "Service hour",
                "type": "service",
                "list_price": 100.0,
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "uom_po_id": cls.env.ref("uom.product_uom_hour").id,
            }
        )

    def _repair_done(self, serial, decision):
        lot = self._lots([serial])
        self._register(lot)
        rma = self._awaiting(
            self._rma(
                [self._line(lot, warranty_decision=decision)], ticket_id=self.ticket.id
            )
        )
        self.assertEqual(rma.line_ids.warranty_decision, decision)
        repair = self._repair_with_part(rma)
        repair.action_create_sale_order()
        repair.sale_order_id.order_line = [
            Command.create({"product_id": self.labour.id, "product_uom_qty": 2})
        ]
        repair.action_validate()
        repair.action_repair_start()
        repair.action_assign()
        for move in repair.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        return rma, repair

    def _by_type_payer(self, lines):
        return {(line.cost_type, line.payer): line.amount_company for line in lines}

    def test_partly_covered_repair(self):
        rma, repair = self._repair_done("COST-R-1", "partial")
        lines = self.CostLine.search([("rma_id", "=", rma.id)])
        # the part at its valuation (standard cost 300), 2 h at the team's 60;
        # the deductible: 50 EUR at 0.5 EUR per USD = 100 USD
        self.assertEqual(
            self._by_type_payer(lines),
            {
                ("parts", "warranty"): 50.0,
                ("parts", "customer"): 250.0,
                ("labour", "warranty"): 96.0,
                ("labour", "customer"): 24.0,
            },
        )
        valuation = -sum(
            repair.move_ids.filtered(
                lambda m: m.product_id == self.product_part
            ).stock_valuation_layer_ids.mapped("value")
        )
        self.assertEqual(valuation, 300.0)
        self.assertEqual(lines.mapped("ticket_id"), self.ticket)
        self.assertEqual(set(lines.mapped("source_ref")), {repair})
        self.assertEqual(
            lines.filtered(lambda line: line.cost_type == "labour").mapped("quantity"),
            [2.0, 2.0],
        )
        self.assertEqual(
            lines[0].analytic_distribution, {str(self.account_de.id): 100.0}
        )
        # never twice for the same source
        again = self.CostLine._create_from_sources(
            repair._prepare_aftersales_cost_line_vals()
        )
        self.assertFalse(again)

    def test_covered_and_chargeable_repairs(self):
        rma, _repair = self._repair_done("COST-R-2", "covered")
        lines = self.CostLine.search([("rma_id", "=", rma.id)])
        self.assertEqual(set(lines.mapped("payer")), {"warranty"})
        self.assertEqual(sum(lines.mapped("amount_company")), 420.0)
        rma, _repair = self._repair_done("COST-R-3", "chargeable")
        lines = self.CostLine.search([("rma_id", "=", rma.id)])
        self.assertEqual(set(lines.mapped("payer")), {"customer"})
        self.assertEqual(sum(lines.mapped("amount_company")), 420.0)

    def test_repair_without_team_cost_has_no_labour_line(self):
        self.team_de.hourly_cost = 0.0
        rma, _repair = self._repair_done("COST-R-4", "covered")
        lines = self.CostLine.search([("rma_id", "=", rma.id)])
        self.assertEqual(lines.mapped("cost_type"), ["parts"])

    def test_shipment_freight_and_customs(self):
        lot = self._lots(["COST-S-1"])
        self._register(lot)
        rma = self._awaiting(self._rma([self._line(lot)], ticket_id=self.ticket.id))
        receipt = self._kind(rma, "receipt")
        shipment = self.env["aftersales.shipment"].create(
            {
                "rma_id": rma.id,
                "picking_id": receipt.id,
                "direction": "customer_to_hub",
                "currency_id": self.eur.id,
                "freight_cost": 80.0,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_us200.id,
                            "quantity": 1,
                            "price_unit": 1000.0,
                            "duty_amount": 20.0,
                            "tax_amount": 38.0,
                        }
                    ),
                    Command.create({"product_id": self.product_cable.id}),
                ],
            }
        )
        self.assertFalse(self.CostLine.search([("rma_id", "=", rma.id)]))
        self._receive(rma)
        lines = self.CostLine.search([("rma_id", "=", rma.id)])
        self.assertEqual(len(lines), 3)
        self.assertEqual(set(lines.mapped("currency_id")), {self.eur})
        self.assertEqual(set(lines.mapped("source_ref")), {shipment})
        # the template's freight is the company's: the warranty pays; the euro
        # amounts at 0.5 EUR per USD
        self.assertEqual(set(lines.mapped("payer")), {"warranty"})
        freight = lines.filtered(lambda line: line.cost_type == "freight")
        self.assertEqual((freight.amount, freight.amount_company), (80.0, 160.0))
        duties = lines.filtered(lambda line: line.cost_type == "duty")
        self.assertEqual(sorted(duties.mapped("amount")), [20.0, 38.0])
        self.assertEqual(sum(duties.mapped("amount_company")), 116.0)
        self.assertEqual(duties.product_id, self.product_us200)
        again = self.CostLine._create_from_sources(
            receipt._prepare_aftersales_cost_line_vals()
        )
        self.assertFalse(again)

    def test_customer_pays_return_freight(self):
        self.tmpl_de.freight_payer = "customer"
        lot = self._lots(["COST-S-2"])
        self._register(lot)
        rma = self._awaiting(self._rma([self._line(lot)], ticket_id=self.ticket.id))
        self.env["aftersales.shipment"].create(
            {
                "rma_id": rma.id,
                "picking_id": self._kind(rma, "receipt").id,
                "direction": "customer_to_hub",
                "freight_cost": 30.0,
            }
        )
        self._receive(rma)
        line = self.CostLine.search([("rma_id", "=", rma.id)])
        self.assertEqual((line.payer, line.amount_company), ("customer", 30.0))
