from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCase

# queries to create a batch of tickets (sequence, customer data, SLA policy,
# deadlines in working hours, round-robin assignment, its chatter notes and one
# digest per engineer), whatever the batch size
QUERIES_TICKET_CREATE = 104
# with the chatter on, the acknowledgement emails of a batch are rendered together
# but each is still its own message_post (message, notification, mail.mail):
# queries for each ticket beyond the first ones of a batch, the precommit that
# posts them included (about 28 when each ticket had its own mail composer)
QUERIES_PER_TICKET_WITH_MAIL = 13


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

    def _create_with_mail(self, count):
        tickets = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Alarm {index}",
                    "partner_id": (
                        self.customer_ae if index % 2 else self.customer_ng
                    ).id,
                    "team_id": self.team_sh.id,
                    "ticket_type_id": self.type_repair.id,
                    "channel": "api",
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # the acknowledgement emails
        return tickets

    def _queries(self, count):
        before = self.env.cr.sql_log_count
        tickets = self._create_with_mail(count)
        return self.env.cr.sql_log_count - before, tickets

    def test_create_with_mail_queries_per_ticket(self):
        self.team_sh.assignment_method = "round_robin"
        (self.agent | self.agent2).aftersales_skill_ids = [
            Command.link(self.skill_electronics.id)
        ]
        self._create_with_mail(2)  # warm the caches, the customers' signup tokens
        few, few_tickets = self._queries(3)
        many, many_tickets = self._queries(30)
        per_ticket = (many - few) / 27
        self.assertLessEqual(per_ticket, QUERIES_PER_TICKET_WITH_MAIL)
        acknowledged = self.env["mail.mail"].search(
            [
                ("model", "=", "aftersales.ticket"),
                ("res_id", "in", (few_tickets | many_tickets).ids),
                ("recipient_ids", "in", (self.customer_ae | self.customer_ng).ids),
            ]
        )
        self.assertEqual(len(acknowledged), 33)
