import re
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCase

# queries to create a batch of tickets (the sequence's nextval, customer data,
# the SLA policy chosen from the policies cached per registry, its hours,
# deadlines in working hours, round-robin assignment chosen before the insert,
# its chatter notes, the engineers' digests queued; the team's members and their
# profiles kept per registry, see _assignment_team_snapshot(), the ticket types'
# skills, their default SLA policies and the stages' flags too), the claim of
# the batch's external references (one INSERT, see aftersales.idempotency.key),
# whatever the batch size; the deadlines, the SLA status and the warranty's
# suspicion are computed before the insert (no UPDATE of the new tickets); the
# round robin's pointer, moved by one UPDATE, is read again by the next batch of
# the same transaction
QUERIES_TICKET_CREATE = 8
# with the chatter on (creation notes, followers, tracking), the commit included:
# the acknowledgement emails and the assignment digests are queued (ack_pending,
# assign_digest_pending, in the tickets' insert) for the cron that sends them
# right after the commit, so creating a batch costs the same whatever its size
QUERIES_TICKET_CREATE_WITH_MAIL = 8
# one ticket, as one XML-RPC call or one form save creates it, the commit included:
# the sequence's nextval, SLA policy and deadlines (policies, sequence and the
# calendar's state and working intervals cached per registry until they change,
# see test_registry_caches.py), round-robin assignment before the insert (the
# team's members with their countries, languages and skills kept per registry
# until the team or an engineer changes; the types' skills and the stages' flags
# too), the creator and the members read at once, one creation message
# with the assignment note, followers, the acknowledgement and the digest queued
# (in the ticket's insert, with the deadlines: no UPDATE of the new ticket), the
# cron triggered; the round robin's pointer is one UPDATE of its own, after which
# this transaction reads it again for the next ticket (a server's fresh
# transaction reads the team anyway)
QUERIES_ONE_TICKET = 10
# the same ticket in a fresh transaction, as a server's request creates it: the
# record cache cold (the registry's caches warm), a service user with the record
# rules: the user with the team's members (env.company reads it), the customer
# with the members' and the creator's contacts (as superuser: no record rule),
# the team, the company, the alias domain of the creation message, on top; the
# acknowledgement cron's trigger is two of them (a server inserts it once per
# 10 seconds, see ACK_TRIGGER_WINDOW)
QUERIES_ONE_TICKET_FRESH = 15


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
        self.env.cr.flush()  # what the commit runs
        return tickets

    def test_create_with_mail_query_count_does_not_grow(self):
        # one fitting engineer: round robin does not move the team's last engineer
        # (which costs an update for some batch sizes and not others)
        self.team_sh.assignment_method = "round_robin"
        self.agent.aftersales_skill_ids = [Command.link(self.skill_electronics.id)]
        # warm the caches, the customers' signup tokens
        self._create_with_mail(2)
        self._send_acknowledgements()
        warm = self._create_with_mail(2)
        with self.assertQueryCount(QUERIES_TICKET_CREATE_WITH_MAIL):
            few = self._create_with_mail(3)
        with self.assertQueryCount(QUERIES_TICKET_CREATE_WITH_MAIL):
            many = self._create_with_mail(30)
        tickets = few | many
        self.assertEqual(set(tickets.mapped("user_id")), {self.agent})
        self.assertTrue(all(tickets.mapped("ack_pending")))
        # the queue, right after the commit: one email per customer's ticket
        self.assertEqual(self._send_acknowledgements(), warm | tickets)
        self.assertFalse(any(tickets.mapped("ack_pending")))
        acknowledged = self.env["mail.mail"].search(
            [
                ("model", "=", "aftersales.ticket"),
                ("res_id", "in", tickets.ids),
                ("recipient_ids", "in", (self.customer_ae | self.customer_ng).ids),
            ]
        )
        self.assertEqual(len(acknowledged), 33)
        self.assertEqual(set(acknowledged.mapped("res_id")), set(tickets.ids))

    def test_create_one_ticket_query_count(self):
        self.team_sh.assignment_method = "round_robin"
        (self.agent | self.agent2).aftersales_skill_ids = [
            Command.link(self.skill_electronics.id)
        ]
        # warm the caches, the customers' signup tokens
        self._create_with_mail(1)
        self._create_with_mail(1)
        with self.assertQueryCount(QUERIES_ONE_TICKET):
            ticket = self._create_with_mail(1)
        self.assertTrue(ticket.response_deadline and ticket.resolution_deadline)
        self.assertIn(ticket.user_id, self.agent | self.agent2)
        self.assertTrue(ticket.ack_pending)
        self.assertIn(ticket.user_id.partner_id, ticket.message_partner_ids)

    def test_create_one_ticket_fresh_transaction_query_count(self):
        self.team_sh.assignment_method = "round_robin"
        (self.agent | self.agent2).aftersales_skill_ids = [
            Command.link(self.skill_electronics.id)
        ]
        self.env = self.env(user=self.manager)
        for _warm in range(2):  # the registry's caches (rules, groups) warm
            self.env.invalidate_all()
            self._create_with_mail(1)
        self.env.invalidate_all()
        # read first by assertQueryCount (its login): not counted as the creation's
        self.env.user.login  # noqa: B018 pylint: disable=pointless-statement
        with self.assertQueryCount(QUERIES_ONE_TICKET_FRESH):
            ticket = self._create_with_mail(1)
        self.assertEqual(ticket.create_uid, self.manager)
        self.assertTrue(ticket.response_deadline and ticket.sla_state)
        self.assertIn(ticket.user_id, self.agent | self.agent2)
        self.assertTrue(ticket.ack_pending and ticket.assign_digest_pending)


@tagged("post_install", "-at_install")
class TestFirstStageCache(AftersalesCase):
    """The first stage of a new ticket comes from a cached stage order: every
    change of the stages (or of a team's stages) is seen by the next ticket."""

    def _first_stage(self):
        return self._ticket(team_id=self.team_sh.id).stage_id

    def test_stage_changes_reach_new_tickets(self):
        self.assertEqual(self._first_stage(), self.stage_new)
        triage = self.env["aftersales.stage"].create(
            {
                "name": "Triage",
                "sequence": -1,
                "team_ids": [Command.set(self.team_de.ids)],
            }
        )
        self.assertEqual(self._first_stage(), self.stage_new, "another team's stage")
        self.team_sh.stage_ids = [Command.link(triage.id)]
        self.assertEqual(self._first_stage(), triage, "linked from the team")
        triage.team_ids = [Command.unlink(self.team_sh.id)]
        self.assertEqual(self._first_stage(), self.stage_new)
        triage.team_ids = [Command.clear()]
        self.assertEqual(self._first_stage(), triage, "a stage of every team")
        triage.active = False
        self.assertEqual(self._first_stage(), self.stage_new, "archived")
        triage.active = True
        triage.sequence = 1000
        self.assertEqual(self._first_stage(), self.stage_new, "moved last")
        (self.env["aftersales.stage"].search([]) - triage).write({"active": False})
        self.assertEqual(self._first_stage(), triage)


@tagged("post_install", "-at_install")
class TestTicketWrittenOnce(AftersalesCase):
    """A new ticket is written by its insert alone: the deadlines, the SLA
    status, the warranty's suspicion and the queues' flags are in it, no UPDATE
    of the ticket follows (an UPDATE of a freshly inserted row writes a new
    version of it into every index of the table)."""

    def test_no_update_after_the_insert(self):
        self.team_sh.assignment_method = "round_robin"
        (self.agent | self.agent2).aftersales_skill_ids = [
            Command.link(self.skill_electronics.id)
        ]
        executed = []
        execute = self.env.cr.execute

        def spy(query, params=None, log_exceptions=True):
            executed.append(str(query.code if hasattr(query, "code") else query))
            return execute(query, params, log_exceptions)

        vals = {
            "subject": "Alarm",
            "partner_id": self.customer_ae.id,
            "team_id": self.team_sh.id,
            "ticket_type_id": self.type_repair.id,
        }
        with patch.object(self.env.cr, "execute", spy):
            ticket = self.env["aftersales.ticket"].create(vals)
            self.env.flush_all()
        inserts = [
            q for q in executed if q.startswith('INSERT INTO "aftersales_ticket"')
        ]
        updates = [
            q for q in executed if re.search(r'UPDATE\s+"?aftersales_ticket"?\s', q)
        ]
        self.assertEqual(len(inserts), 1)
        self.assertEqual(updates, [])
        self.env.invalidate_all()
        self.assertTrue(ticket.response_deadline and ticket.resolution_deadline)
        self.assertEqual(ticket.sla_state, "on_track")
        self.assertTrue(ticket.ack_pending)
        self.assertTrue(ticket.user_id)
        self.assertTrue(ticket.assign_digest_pending)
        self.assertFalse(ticket.warranty_suspicious)
