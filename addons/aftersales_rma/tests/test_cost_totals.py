from odoo.tests import tagged

from .test_cost_line import CostCase


@tagged("post_install", "-at_install")
class TestCostTotals(CostCase):
    """The totals of a case by type and payer, in company currency, in one
    grouped query for many records."""

    def _tickets(self, count):
        return self.env["aftersales.ticket"].create(
            [
                {"subject": f"Cost case {i}", "partner_id": self.customer_de.id}
                for i in range(count)
            ]
        )

    def test_totals_by_type_and_payer(self):
        rma = self._rma([self._line()], ticket_id=self.ticket.id)
        self._manual(amount=100.0)  # 125 USD, travel, warranty
        self._manual(cost_type="other", amount=40.0, payer="customer")  # 50 USD
        self._manual(
            ticket_id=False,
            rma_id=rma.id,
            amount=20.0,
            currency_id=self.usd.id,
            payer="dealer",
        )
        # a line of another case counts for that case only
        other = self._tickets(1)
        self._manual(ticket_id=other.id, amount=8.0)
        ticket = self.ticket.with_user(self.agent_de)
        self.assertEqual(ticket.cost_line_count, 3)
        self.assertAlmostEqual(ticket.cost_total, 195.0, places=2)
        self.assertAlmostEqual(ticket.cost_travel, 145.0, places=2)
        self.assertAlmostEqual(ticket.cost_other, 50.0, places=2)
        self.assertEqual(ticket.cost_parts, 0.0)
        self.assertAlmostEqual(ticket.cost_warranty, 125.0, places=2)
        self.assertAlmostEqual(ticket.cost_customer, 50.0, places=2)
        self.assertEqual(ticket.cost_dealer, 20.0)
        self.assertEqual(ticket.cost_currency_id, self.usd)
        # the RMA counts its own lines only
        self.assertEqual((rma.cost_line_count, rma.cost_total), (1, 20.0))
        self.assertEqual(
            (rma.cost_travel, rma.cost_dealer, rma.cost_warranty), (20.0, 20.0, 0.0)
        )
        self.assertEqual(other.cost_total, 10.0)
        action = ticket.action_view_cost_lines()
        self.assertEqual(
            self.env["aftersales.cost.line"].search(action["domain"]),
            ticket.cost_line_ids,
        )

    def _totals_counted(self, tickets):
        self.env.flush_all()
        self.env.invalidate_all()
        # the user, read before counting
        self.env.user.company_id  # noqa: B018 pylint: disable=pointless-statement
        # the grouped query, then the tickets' company and its currency (read
        # once to round the amounts)
        with self.assertQueryCount(4):
            totals = tickets.mapped("cost_total")
        return totals

    def test_totals_in_one_query_for_many_cases(self):
        few, many = self._tickets(3), self._tickets(30)
        for ticket in few | many:
            self._manual(ticket_id=ticket.id)
            self._manual(ticket_id=ticket.id, cost_type="other", payer="customer")
        # the same 4 queries for 3 and for 30 cases
        self.assertEqual(self._totals_counted(few), [250.0] * 3)
        self.assertEqual(self._totals_counted(many), [250.0] * 30)
        self.assertEqual(set(many.mapped("cost_line_count")), {2})
