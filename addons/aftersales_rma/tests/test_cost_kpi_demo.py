from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCostKpiDemo(TransactionCase):
    """The demo's recall costs the visits of its four serviced pumps; two
    dealers' cases cost a visit and an item the customer pays (when demo data
    is installed)."""

    def test_campaign_and_dealer_costs(self):
        visit = self.env.ref(
            "aftersales_rma.demo_cost_kpi_dealer_visit", raise_if_not_found=False
        )
        if not visit:
            return  # a database without demo data: nothing to check
        campaign = self.env.ref("aftersales_service.demo_insight_campaign_pump")
        if campaign.reached_count:
            # (a demo database upgraded ran no cron: the campaign has no ticket)
            self.assertEqual(campaign.serviced_count, 4)
            self.assertEqual(campaign.cost_total, 85.0 + 90.0 + 95.0 + 100.0)
        tickets = self.env.ref("aftersales_service.demo_ticket_1") | self.env.ref(
            "aftersales_service.demo_ticket_2"
        )
        self.env.flush_all()
        rows = self.env["aftersales.ticket.report"].search(
            [("ticket_id", "in", tickets.ids)]
        )
        # the report sums every cost line of the case (other demo stories add
        # theirs, e.g. the forwarder's freight bill on the first ticket's return)
        expected = {}
        for ticket in tickets:
            lines = ticket.cost_line_ids
            expected[ticket.id] = (
                round(sum(lines.mapped("amount_company")), 2),
                round(
                    sum(
                        lines.filtered(lambda line: line.payer == "warranty").mapped(
                            "amount_company"
                        )
                    ),
                    2,
                ),
            )
        self.assertEqual(
            {
                row.ticket_id.id: (
                    round(row.cost_total, 2),
                    round(row.cost_warranty, 2),
                )
                for row in rows
            },
            expected,
        )
        # this story's own lines: the visit the warranty pays, the item the
        # customer pays
        self.assertGreaterEqual(expected[tickets[0].id][1], 140.0)
        self.assertEqual(expected[tickets[1].id], (60.0, 0.0))
        [(cost,)] = self.env["aftersales.dealer.report"]._read_group(
            [("dealer_id", "=", tickets[0].dealer_id.id)], [], ["cost_total:sum"]
        )
        self.assertGreaterEqual(cost, 140.0)
