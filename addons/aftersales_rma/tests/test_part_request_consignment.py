from odoo import Command
from odoo.tests import tagged

from .common_part import PartRequestCase
from .test_cost_line import CostCase


@tagged("post_install", "-at_install")
class TestPartRequestConsignment(PartRequestCase):
    """A dealer's consignment stock (Odoo's owner on quants): a part request
    sourced from it reserves only the dealer's quants, any other request only
    the company's own quants; the sourcing rule counts the same quants; the
    consigned part delivered costs the product's cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dealer_x = Partner.create(
            {"name": "Abuja Medical Supplies", "is_company": True}
        )
        cls.dealer_y = Partner.create({"name": "Kano Biomed", "is_company": True})
        cls.wh_abuja = cls._source_warehouse(
            "Abuja Consignment",
            "XAB",
            "base.ng",
            2,
            aftersales_source_kind="consignment",
            aftersales_owner_id=cls.dealer_x.id,
        )

    def _quants(self, warehouse, owner=None):
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", self.part.id),
                ("location_id", "child_of", warehouse.lot_stock_id.id),
                ("owner_id", "=", owner.id if owner else False),
            ]
        )

    def _reserved(self, warehouse, owner=None):
        return sum(self._quants(warehouse, owner).mapped("reserved_quantity"))

    def test_consignment_reserves_the_dealers_quants(self):
        """X's consignment stock also holds Y's and the brand's parts: the
        request sourced from it reserves X's quants only; the delivered part
        has no valuation and costs the product's cost."""
        self._stock(self.wh_abuja, 2, owner=self.dealer_x)
        self._stock(self.wh_abuja, 3, owner=self.dealer_y)
        self._stock(self.wh_abuja, 4)
        request = self._request(quantity=2, user=self.agent)
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(line.warehouse_id, self.wh_abuja)
        self.assertEqual(line.sourcing, "stock")
        delivery = self._pickings(request, self.wh_abuja, "outgoing")
        self.assertEqual(delivery.move_ids.restrict_partner_id, self.dealer_x)
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(delivery.move_line_ids.owner_id, self.dealer_x)
        self.assertEqual(sum(delivery.move_line_ids.mapped("quantity")), 2)
        self.assertEqual(self._reserved(self.wh_abuja, self.dealer_x), 2)
        self.assertEqual(self._reserved(self.wh_abuja, self.dealer_y), 0)
        self.assertEqual(self._reserved(self.wh_abuja), 0)

        self._done(delivery)
        self.assertFalse(delivery.move_ids.sudo().stock_valuation_layer_ids)
        cost = self._costs(delivery)
        self.assertEqual(len(cost), 1)
        self.assertEqual(cost.cost_type, "parts")
        self.assertEqual(cost.quantity, 2)
        self.assertEqual(cost.currency_id, self.env.company.currency_id)
        self.assertAlmostEqual(cost.amount, 400.0)  # 2 x the standard price 200
        self.assertEqual(self._quants(self.wh_abuja, self.dealer_x).quantity, 0)
        self.assertEqual(self._quants(self.wh_abuja, self.dealer_y).quantity, 3)
        self.assertEqual(self._quants(self.wh_abuja).quantity, 4)

    def test_consignment_resupplies_the_service_warehouse(self):
        """Sourced from X's consignment stock for the Lagos service warehouse:
        the leg out of the consignment stock takes X's quants, every step
        carries X as the owner, the delivery costs the product's cost."""
        self._stock(self.wh_abuja, 1, owner=self.dealer_x)
        self._stock(self.wh_abuja, 5, owner=self.dealer_y)
        self._stock(self.wh_abuja, 5)
        request = self._request(service_warehouse_id=self.wh_lagos.id)
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(line.warehouse_id, self.wh_abuja)
        self.assertEqual(line.sourcing, "resupply")
        self.assertEqual(request.move_ids.restrict_partner_id, self.dealer_x)
        leg_out = self._pickings(request, self.wh_abuja, "outgoing")
        leg_in = self._pickings(request, self.wh_lagos, "incoming")
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self.assertEqual(leg_out.move_line_ids.owner_id, self.dealer_x)
        self.assertEqual(self._reserved(self.wh_abuja, self.dealer_y), 0)
        self.assertEqual(self._reserved(self.wh_abuja), 0)
        self._done(leg_out)
        self._done(leg_in)
        self.assertEqual(delivery.move_line_ids.owner_id, self.dealer_x)
        self._done(delivery)
        self.assertAlmostEqual(self._costs(delivery).amount, 200.0)
        self.assertEqual(self._quants(self.wh_abuja, self.dealer_y).quantity, 5)
        self.assertEqual(self._quants(self.wh_abuja).quantity, 5)

    def test_brand_stock_does_not_take_consigned_quants(self):
        """Shanghai holds only X's consigned parts: they are not the brand's
        stock. The sourcing rule does not count them (the part is bought) and
        a request sourced from Shanghai by hand waits instead of reserving
        them, until the brand's own part arrives."""
        self._stock(self.wh_shanghai, 5, owner=self.dealer_x)
        request = self._request()
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(line.sourcing, "purchase")
        delivery = self._pickings(request, self.wh_shanghai, "outgoing")
        self.assertTrue(delivery)
        self.assertFalse(delivery.move_line_ids)
        self.assertEqual(line.parts_state, "waiting")
        self.assertTrue(request._purchase_orders())

        request = self._request()
        request.line_ids.warehouse_id = self.wh_shanghai
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(line.sourcing, "stock")
        delivery = self._pickings(request, self.wh_shanghai, "outgoing")
        self.assertFalse(delivery.move_ids.restrict_partner_id)
        self.assertNotEqual(delivery.state, "assigned")
        self.assertFalse(delivery.move_line_ids)
        self.assertEqual(line.parts_state, "waiting")
        self.assertEqual(self._reserved(self.wh_shanghai, self.dealer_x), 0)

        # the company's own part (no owner, or owned by the company's partner)
        self._stock(self.wh_shanghai, 1, owner=self.env.company.partner_id)
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(delivery.move_line_ids.owner_id, self.env.company.partner_id)
        self.assertEqual(self._reserved(self.wh_shanghai, self.dealer_x), 0)
        self._done(delivery)
        self.assertAlmostEqual(self._costs(delivery).amount, 200.0)

    def test_other_flows_unchanged(self):
        """A delivery that is not a part request's reserves as Odoo does,
        whoever owns the quants."""
        self._stock(self.wh_shanghai, 2, owner=self.dealer_x)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.wh_shanghai.out_type_id.id,
                "partner_id": self.customer_ng.id,
                "location_id": self.wh_shanghai.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.part.name,
                            "product_id": self.part.id,
                            "product_uom_qty": 1,
                            "product_uom": self.part.uom_id.id,
                            "location_id": self.wh_shanghai.lot_stock_id.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.move_line_ids.owner_id, self.dealer_x)

    def test_stock_on_hand_counts_what_is_reserved(self):
        """The sourcing rule's stock on hand per source kind: a consignment
        stock counts its owner's free quants, the others the company's own;
        neither counts another warehouse location (the RMA location) nor
        what is reserved."""
        company_partner = self.env.company.partner_id
        self._stock(self.wh_abuja, 2, owner=self.dealer_x)
        self._stock(self.wh_abuja, 3, owner=self.dealer_y)
        self._stock(self.wh_abuja, 4)
        self._stock(self.wh_shanghai, 5)
        self._stock(self.wh_shanghai, 1, owner=company_partner)
        self._stock(self.wh_shanghai, 7, owner=self.dealer_x)
        self.env["stock.quant"]._update_available_quantity(
            self.part, self.wh_shanghai.aftersales_rma_location_id, 9
        )
        self.wh_lagos.aftersales_source_kind = "van"
        self._stock(self.wh_lagos, 6, owner=self.dealer_y)
        warehouses = self.wh_abuja | self.wh_shanghai | self.wh_lagos | self.wh_hamburg
        free = warehouses._aftersales_free_qty(self.part)
        self.assertEqual(free[self.wh_abuja, self.part], 2)
        self.assertEqual(free[self.wh_shanghai, self.part], 6)
        self.assertEqual(free[self.wh_lagos, self.part], 0)
        self.assertEqual(free[self.wh_hamburg, self.part], 0)

        # reserved by a request: no longer free
        request = self._request(quantity=2)
        request.line_ids.warehouse_id = self.wh_shanghai
        request.action_confirm()
        free = warehouses._aftersales_free_qty(self.part)
        self.assertEqual(free[self.wh_shanghai, self.part], 4)

    def test_consigned_return_reverses_the_cost(self):
        """A consigned part returned unused goes back to the dealer's stock
        and takes back the cost the delivery recorded."""
        self._stock(self.wh_abuja, 1, owner=self.dealer_x)
        request = self._request()
        request.action_confirm()
        delivery = self._pickings(request, self.wh_abuja, "outgoing")
        self._done(delivery)
        back = self._odoo_return(delivery, 1)
        self._done(back)
        self.assertAlmostEqual(self._costs(back).amount, -200.0)
        # back into the consignment stock, the dealer's again, not valued
        self.assertEqual(back.move_line_ids.owner_id, self.dealer_x)
        self.assertFalse(back.move_ids.sudo().stock_valuation_layer_ids)
        self.assertEqual(self._quants(self.wh_abuja, self.dealer_x).quantity, 1)
        self.assertFalse(self._quants(self.wh_abuja))


@tagged("post_install", "-at_install")
class TestRepairConsignment(CostCase):
    """The repair of an RMA takes a part from dealer X's consignment stock: the
    part request resupplies the workshop with X's quants, the repair's parts
    line reserves X's quants only, and the done repair costs the consigned part
    at the product's cost (Odoo does not value it), split as the repair's
    coverage says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_eu.write({"parts_coverage": 50.0, "deductible_amount": 50.0})
        cls.env["stock.warehouse"].search(
            [("aftersales_part_source", "=", True)]
        ).aftersales_part_source = False
        Partner = cls.env["res.partner"]
        cls.dealer_x = Partner.create({"name": "Bremen Medizintechnik"})
        cls.dealer_y = Partner.create({"name": "Kiel Medical"})
        cls.wh_bremen = cls.env["stock.warehouse"].create(
            {
                "name": "Bremen Consignment",
                "code": "XBR",
                "partner_id": Partner.create(
                    {
                        "name": "Bremen Consignment",
                        "country_id": cls.env.ref("base.de").id,
                    }
                ).id,
                "aftersales_part_source": True,
                "aftersales_lead_days": 2,
                "aftersales_source_kind": "consignment",
                "aftersales_owner_id": cls.dealer_x.id,
            }
        )
        Quant = cls.env["stock.quant"]
        bremen = cls.wh_bremen.lot_stock_id
        Quant._update_available_quantity(
            cls.product_part, bremen, 2, owner_id=cls.dealer_x
        )
        Quant._update_available_quantity(
            cls.product_part, bremen, 3, owner_id=cls.dealer_y
        )
        Quant._update_available_quantity(cls.product_part, bremen, 4)

    def _reserved(self, location, owner=None):
        return sum(
            self.env["stock.quant"]
            .search(
                [
                    ("product_id", "=", self.product_part.id),
                    ("location_id", "=", location.id),
                    ("owner_id", "=", owner.id if owner else False),
                ]
            )
            .mapped("reserved_quantity")
        )

    def test_repair_costs_the_consigned_part(self):
        lot = self._lots(["CONS-R-1"])
        self._register(lot)
        rma = self._awaiting(
            self._rma(
                [self._line(lot, warranty_decision="partial")],
                ticket_id=self.ticket.id,
            )
        )
        # a part of the company's own stock too, at its valuation
        repair = self._repair_with_part(rma)
        own_move = repair.move_ids
        repair.action_validate()
        repair.action_assign()
        self.assertEqual(own_move.state, "assigned")

        request = self.env["aftersales.part.request"].create(
            {
                "repair_id": repair.id,
                "line_ids": [
                    Command.create({"product_id": self.product_part.id, "quantity": 2})
                ],
            }
        )
        self.assertEqual(request.ticket_id, self.ticket)
        request.action_confirm()
        line = request.line_ids
        self.assertEqual(line.warehouse_id, self.wh_bremen)
        self.assertEqual(line.sourcing, "resupply")
        consigned_move = repair.move_ids - own_move
        self.assertEqual(consigned_move.aftersales_part_line_id, line)
        self.assertEqual(consigned_move.restrict_partner_id, self.dealer_x)
        # the workshop's own parts on hand are not taken: it waits for X's
        self.assertNotEqual(consigned_move.state, "assigned")
        self.assertFalse(consigned_move.move_line_ids)
        pickings = request.move_ids.picking_id
        leg_out = pickings.filtered(
            lambda p: p.picking_type_id == self.wh_bremen.out_type_id
        )
        leg_in = pickings.filtered(
            lambda p: p.picking_type_id == self.warehouse.in_type_id
        )
        self.assertEqual(leg_out.move_line_ids.owner_id, self.dealer_x)
        bremen = self.wh_bremen.lot_stock_id
        self.assertEqual(self._reserved(bremen, self.dealer_y), 0)
        self.assertEqual(self._reserved(bremen), 0)
        self._do_picking(leg_out)
        self._do_picking(leg_in)

        # the repair's parts line reserves X's quants in the workshop
        self.assertEqual(consigned_move.state, "assigned")
        self.assertEqual(consigned_move.move_line_ids.owner_id, self.dealer_x)
        self.assertEqual(consigned_move.quantity, 2)
        self.assertEqual(self._reserved(repair.location_id, self.dealer_x), 2)
        self.assertEqual(own_move.move_line_ids.owner_id, self.env["res.partner"])

        repair.action_repair_start()
        repair.move_ids.picked = True
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(line.parts_state, "consumed")
        self.assertFalse(consigned_move.stock_valuation_layer_ids)
        self.assertEqual(
            -sum(own_move.stock_valuation_layer_ids.mapped("value")), 300.0
        )
        lines = self.CostLine.search([("rma_id", "=", rma.id)])
        self.assertEqual(set(lines.mapped("cost_type")), {"parts"})
        self.assertEqual(set(lines.mapped("source_ref")), {repair})
        self.assertEqual(lines.currency_id, self.company.currency_id)
        by_move = {}
        for cost in lines:
            move_id = int(cost.source_key.split(",")[3])
            by_move.setdefault(move_id, {})[cost.payer] = cost.amount
            if move_id == consigned_move.id:
                self.assertEqual(cost.quantity, 2)
        # partly covered, parts at 50%: the own part 150/150, the consigned
        # one 2 x the standard price 300 = 600, 300/300; the deductible (50 EUR
        # at 0.5 EUR per USD = 100 USD) moved from the first warranty share
        self.assertEqual(
            by_move,
            {
                own_move.id: {"warranty": 50.0, "customer": 250.0},
                consigned_move.id: {"warranty": 300.0, "customer": 300.0},
            },
        )
