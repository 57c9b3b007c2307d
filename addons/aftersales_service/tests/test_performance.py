from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCase

# queries to create a batch of tickets (sequence, customer data, SLA policy,
# deadlines in working hours, round-robin assignment, its chatter notes and one
# digest per engineer), whatever the batch size
QUERIES_TICKET_CREATE = 104


@tagged("post_install", "-at_install")
class TestTicketCreateQueries(AftersalesCase):
    def _create(self, count):
        return (
            self.env["aftersales.ticket"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "subject": f"Alarm {index}",
                        "partner_id": (
                            self.customer_ae if index % 2 else self.customer_ng
                        ).id,
                        "team_id": self.team_sh.id,
                        "ticket_type_id": self.type_repair.id,
                        "channel": "api",
                        "external_ref": f"ERP-{count}-{index}",
                    }
                    for index in range(count)
                ]
            )
        )

    def test_create_query_count_does_not_grow(self):
        self.team_sh.assignment_method = "round_robin"
        (self.agent | self.agent2).aftersales_skill_ids = [
            Command.link(self.skill_electronics.id)
        ]
        self._create(2)  # warm the caches
        with self.assertQueryCount(QUERIES_TICKET_CREATE):
            few = self._create(3)
        with self.assertQueryCount(QUERIES_TICKET_CREATE):
            many = self._create(40)
        self.assertEqual(len(many), 40)
        self.assertTrue(all(many.mapped("response_deadline")))
        self.assertEqual(set((few | many).mapped("user_id")), {self.agent, self.agent2})
        self.assertEqual(len(set(many.mapped("name"))), 40)
