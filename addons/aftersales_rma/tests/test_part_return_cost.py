from odoo.tests import tagged

from .common_part import PartRequestCase


@tagged("post_install", "-at_install")
class TestPartReturnCost(PartRequestCase):
    """A part the customer returns unused (Odoo's return of the part request's
    delivery) takes its cost back: a negative parts line for the returned
    quantity, at the delivery's cost per unit, with the delivery line's payer."""

    def test_return_unused_reverses_the_cost(self):
        self._stock(self.wh_lagos, 3)
        request = self._request(quantity=3, user=self.agent)
        request.action_confirm()
        delivery = self._pickings(request, self.wh_lagos, "outgoing")
        self._done(delivery)
        delivered = self._costs(delivery)
        self.assertAlmostEqual(delivered.amount, 600.0)
        # the payer changed by hand stays the payer of the returned part
        delivered.payer = "customer"
        back = self._odoo_return(delivery, 2)
        self.assertFalse(self._costs(back), "not returned before validated")
        self._done(back)
        returned = self._costs(back)
        self.assertEqual(len(returned), 1)
        self.assertEqual(returned.cost_type, "parts")
        self.assertEqual(returned.payer, "customer")
        self.assertEqual(returned.quantity, 2)
        self.assertAlmostEqual(returned.amount, -400.0)
        self.assertEqual(returned.ticket_id, self.ticket)
        self.assertEqual(returned.product_id, self.part)
        self.assertAlmostEqual(
            sum(self.ticket.cost_line_ids.mapped("amount_company")), 200.0
        )
        self.assertEqual(request.line_ids.qty_returned, 2)
