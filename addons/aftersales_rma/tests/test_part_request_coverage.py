from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import RmaCase
from .common_part import PartRequestCase


class PartlyCoveredCase:
    """The euro at 0.5 per dollar (the company's currency) and a warranty rule
    that covers half of the parts, 80 % of the labour, with a deductible of
    20 EUR (40 USD)."""

    @classmethod
    def _partly_covered_rule(cls, rule):
        cls.usd = cls.company.currency_id
        cls.eur.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.eur | cls.usd).ids)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.eur.id,
                "name": "2020-01-01",
                "rate": 0.5,
                "company_id": cls.company.id,
            }
        )
        rule.write(
            {"parts_coverage": 50.0, "labour_coverage": 80.0, "deductible_amount": 20.0}
        )

    @classmethod
    def _partly_covered_ticket(cls, serial, partner, team, **values):
        """A ticket on a serial registered a month ago under the partly
        covering rule: the warranty engine decides "partial"."""
        lot = cls._lot(serial)
        delivered = fields.Date.today() - timedelta(days=30)
        cls._register(
            lot, partner, delivery_date=delivered, registration_date=delivered
        )
        return cls.env["aftersales.ticket"].create(
            dict(
                {
                    "subject": "Display flickers",
                    "partner_id": partner.id,
                    "team_id": team.id,
                    "lot_id": lot.id,
                    "product_id": lot.product_id.id,
                },
                **values,
            )
        )


@tagged("post_install", "-at_install")
class TestPartRequestCoverage(PartRequestCase, PartlyCoveredCase):
    """A spare part request of a partly covered ticket: its quotation holds only
    the customer's share and its delivered parts' cost is split between the
    warranty and the customer (before, the customer was charged in full)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._partly_covered_rule(cls.rule_world)
        cls.deductible_product = cls.env.ref(
            "aftersales_rma.product_warranty_deductible"
        )
        cls.partial_ticket = cls._partly_covered_ticket(
            "PC-NG-1", cls.customer_ng, cls.team_sh, user_id=cls.agent.id
        )

    def _partial_request(self, quantity=3):
        self.assertEqual(self.partial_ticket.warranty_decision, "partial")
        request = self._request(
            quantity=quantity, user=self.agent, ticket_id=self.partial_ticket.id
        )
        self.assertTrue(request.chargeable)
        request.action_confirm()
        self.assertEqual(request.state, "to_approve")
        return request

    def _split(self, order):
        order = order.sudo()
        deductible = order.order_line.filtered(
            lambda line: line.product_id == self.deductible_product
        )
        return order.order_line - deductible, deductible

    def _by_payer(self, lines):
        result = {}
        for line in lines:
            result[line.payer] = round(result.get(line.payer, 0.0) + line.amount, 2)
        return result

    def _delivered(self, request):
        request.action_customer_accepted()
        self.assertEqual(request.state, "confirmed")
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self.assertEqual(len(delivery), 1)
        return delivery

    def test_quotation_holds_the_customer_share(self):
        request = self._partial_request()
        parts, deductible = self._split(request.sale_order_id)
        # the part at list price, half covered: the customer pays 3 x 250
        self.assertEqual(parts.product_id, self.part)
        self.assertEqual(request.line_ids.sale_line_id, parts)
        self.assertEqual((parts.price_unit, parts.discount), (500.0, 50.0))
        self.assertAlmostEqual(parts.price_subtotal, 750.0)
        # the deductible, a line of its own: 20 EUR at 0.5 EUR per USD
        self.assertEqual(len(deductible), 1)
        self.assertEqual(deductible.product_uom_qty, 1.0)
        self.assertEqual(deductible.discount, 0.0)
        self.assertEqual(deductible.order_id.currency_id, self.usd)
        self.assertAlmostEqual(deductible.price_unit, 40.0)
        self.assertIn(self.rule_world.name, deductible.name)
        self.assertAlmostEqual(request.sale_order_id.sudo().amount_untaxed, 790.0)

    def test_deductible_once_per_case(self):
        first = self._partial_request()
        self.assertTrue(self._split(first.sale_order_id)[1])
        second = self._partial_request(quantity=1)
        parts, deductible = self._split(second.sale_order_id)
        self.assertFalse(deductible, "the first quotation charges it already")
        self.assertEqual(parts.discount, 50.0)
        # a cancelled quotation charges nothing: the next one carries it
        first.action_cancel()
        second.action_cancel()
        third = self._partial_request(quantity=1)
        self.assertTrue(self._split(third.sale_order_id)[1])

    def test_requests_confirmed_together_share_one_deductible(self):
        requests = self._request(
            user=self.agent, ticket_id=self.partial_ticket.id
        ) | self._request(user=self.agent, ticket_id=self.partial_ticket.id)
        requests.action_confirm()
        deductibles = requests.sale_order_id.sudo().order_line.filtered(
            lambda line: line.product_id == self.deductible_product
        )
        self.assertEqual(len(deductibles), 1)

    def test_delivery_cost_split_and_return_reverses_both(self):
        self._stock(self.wh_lagos, 3)
        request = self._partial_request()
        delivery = self._delivered(request)
        self._done(delivery)
        costs = self._costs(delivery)
        self.assertEqual(len(costs), 2)
        # 3 parts at the standard cost of 200: half each, and the deductible
        # (40 USD) moved from the warranty to the customer
        self.assertEqual(self._by_payer(costs), {"warranty": 260.0, "customer": 340.0})
        move = delivery.move_ids
        valuation = -sum(move.stock_valuation_layer_ids.mapped("value"))
        self.assertAlmostEqual(sum(costs.mapped("amount")), valuation)
        self.assertEqual(
            sorted(costs.mapped("source_key")),
            [
                f"stock.picking,{delivery.id},parts,{move.id},customer",
                f"stock.picking,{delivery.id},parts,{move.id},warranty",
            ],
        )
        self.assertEqual(costs.mapped("quantity"), [3.0, 3.0])
        self.assertEqual(costs.ticket_id, self.partial_ticket)
        self.assertEqual(set(costs.mapped("cost_type")), {"parts"})

        # 2 of the 3 parts come back unused: each payer's line reversed by 2/3
        back = self._odoo_return(delivery, 2)
        self._done(back)
        returned = self._costs(back)
        self.assertEqual(len(returned), 2)
        self.assertEqual(
            self._by_payer(returned), {"warranty": -173.33, "customer": -226.67}
        )
        self.assertEqual(returned.mapped("quantity"), [2.0, 2.0])
        self.assertEqual(len(set(returned.mapped("source_key"))), 2)
        self.assertAlmostEqual(
            sum(self.partial_ticket.cost_line_ids.mapped("amount_company")), 200.0
        )

    def test_backorder_moves_the_deductible_once(self):
        self._stock(self.wh_lagos, 3)
        request = self._partial_request()
        delivery = self._delivered(request)
        delivery.move_ids.quantity = 1
        delivery.move_ids.picked = True
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(
            self._by_payer(self._costs(delivery)),
            {"warranty": 60.0, "customer": 140.0},
        )
        backorder = delivery.backorder_ids
        self.assertEqual(len(backorder), 1)
        self._done(backorder)
        self.assertEqual(
            self._by_payer(self._costs(backorder)),
            {"warranty": 200.0, "customer": 200.0},
        )

    def test_second_request_costs_without_deductible(self):
        self._stock(self.wh_lagos, 4)
        self._partial_request()
        second = self._partial_request(quantity=1)
        delivery = self._delivered(second)
        self._done(delivery)
        self.assertEqual(
            self._by_payer(self._costs(delivery)),
            {"warranty": 100.0, "customer": 100.0},
        )

    def test_fully_paid_by_one_payer_keeps_its_key(self):
        """Covered: the warranty pays; chargeable: the customer; one line each
        with the key of before."""
        self._stock(self.wh_lagos, 2)
        covered = self._request(user=self.agent)
        covered.action_confirm()
        self._assert_one_line(covered, "warranty")
        self.ticket.warranty_decision = "chargeable"
        charged = self._request(user=self.agent)
        charged.action_confirm()
        self.assertFalse(self._split(charged.sale_order_id)[1])
        self.assertEqual(charged.sale_order_id.sudo().order_line.discount, 0.0)
        charged.action_customer_accepted()
        self._assert_one_line(charged, "customer")

    def _assert_one_line(self, request, payer):
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self._done(delivery)
        cost = self._costs(delivery)
        self.assertEqual(len(cost), 1)
        self.assertEqual((cost.payer, cost.amount), (payer, 200.0))
        self.assertEqual(
            cost.source_key,
            f"stock.picking,{delivery.id},parts,{delivery.move_ids.id}",
        )

    def test_unticked_customer_pays_is_the_warranty_cost(self):
        self._stock(self.wh_lagos, 1)
        request = self._request(user=self.agent, ticket_id=self.partial_ticket.id)
        request.chargeable = False
        request.action_confirm()
        self.assertFalse(request.sale_order_id)
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self._done(delivery)
        cost = self._costs(delivery)
        self.assertEqual((cost.payer, cost.amount), ("warranty", 200.0))


@tagged("post_install", "-at_install")
class TestDeductibleAcrossDocuments(RmaCase, PartlyCoveredCase):
    """The deductible is charged once per case, whichever quotation of the
    ticket comes first: a part request's or a repair's of one of its RMAs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._partly_covered_rule(cls.rule_eu)
        cls.deductible_product = cls.env.ref(
            "aftersales_rma.product_warranty_deductible"
        )
        cls.ticket = cls._partly_covered_ticket("PC-DE-1", cls.customer_de, cls.team_de)

    def _deductibles(self, order):
        return order.order_line.filtered(
            lambda line: line.product_id == self.deductible_product
        )

    def _part_request(self):
        request = self.env["aftersales.part.request"].create(
            {
                "ticket_id": self.ticket.id,
                "line_ids": [
                    Command.create({"product_id": self.product_cable.id, "quantity": 1})
                ],
            }
        )
        request.action_confirm()
        self.assertEqual(request.state, "to_approve")
        return request

    def _repair_quotation(self):
        lot = self.ticket.lot_id
        rma = self._awaiting(
            self._rma(
                [self._line(lot, warranty_decision="partial")],
                ticket_id=self.ticket.id,
            )
        )
        repair = self._repair_with_part(rma)
        repair.action_create_sale_order()
        return repair

    def test_part_request_after_the_repair(self):
        repair = self._repair_quotation()
        self.assertEqual(len(self._deductibles(repair.sale_order_id)), 1)
        request = self._part_request()
        self.assertFalse(self._deductibles(request.sale_order_id))
        # its parts half covered all the same
        self.assertEqual(request.sale_order_id.order_line.discount, 50.0)

    def test_repair_after_the_part_request(self):
        request = self._part_request()
        self.assertEqual(len(self._deductibles(request.sale_order_id)), 1)
        repair = self._repair_quotation()
        order = repair.sale_order_id
        self.assertFalse(self._deductibles(order))
        part = order.order_line.filtered(
            lambda line: line.product_id == self.product_part
        )
        self.assertEqual(part.discount, 50.0)
        # nor moved to the customer in the repair's costs
        warranty = repair._aftersales_coverage()
        self.assertEqual(repair._aftersales_cost_split_terms(warranty)[2], 0.0)

    def test_repair_quoting_the_deductible_moves_it(self):
        repair = self._repair_quotation()
        warranty = repair._aftersales_coverage()
        # 20 EUR at 0.5 EUR per USD
        self.assertAlmostEqual(repair._aftersales_cost_split_terms(warranty)[2], 40.0)
