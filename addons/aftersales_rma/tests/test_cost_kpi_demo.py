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
        self.assertEqual(
            {row.ticket_id.id: (row.cost_total, row.cost_warranty) for row in rows},
            {tickets[0].id: (140.0, 140.0), tickets[1].id: (60.0, 0.0)},
        )
        [(cost,)] = self.env["aftersales.dealer.report"]._read_group(
            [("dealer_id", "=", tickets[0].dealer_id.id)], [], ["cost_total:sum"]
        )
        self.assertGreaterEqual(cost, 140.0)
