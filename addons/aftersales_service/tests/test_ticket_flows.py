from datetime import datetime

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase

EMAIL = """From: {sender}
To: {to}
Subject: {subject}
Message-Id: {message_id}
{extra}Content-Type: text/plain; charset=utf-8

{body}
"""


@tagged("post_install", "-at_install")
class TestTicketLifecycle(AftersalesCase):
    def test_reference_stage_and_customer_data(self):
        ticket = self._ticket(partner_id=self.customer_ae.id)
        self.assertRegex(ticket.name, r"^SV\d{2}-\d{5}$")
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.country_id, self.env.ref("base.ae"))
        self.assertEqual(ticket.customer_tier, "gold")
        ticket.country_id = self.env.ref("base.sa")  # corrected by the agent
        self.assertEqual(ticket.country_id, self.env.ref("base.sa"))
        other = self._ticket()
        self.assertNotEqual(other.name, ticket.name)

    def test_external_ref_returns_existing_ticket(self):
        Ticket = self.env["aftersales.ticket"]
        first = self._ticket(external_ref="CRM-1")
        again = self._ticket(external_ref="CRM-1", subject="Retry of the same call")
        self.assertEqual(again, first)
        self.assertEqual(first.subject, "Screen flickers")
        batch = Ticket.create(
            [
                {"subject": "A", "external_ref": "CRM-2"},
                {"subject": "A twice", "external_ref": "CRM-2"},
                {"subject": "B", "external_ref": "CRM-1"},
            ]
        )
        self.assertEqual(len(batch), 3)
        self.assertEqual(batch[0], batch[1])
        self.assertEqual(batch[2], first)
        self.assertEqual(
            Ticket.search_count([("external_ref", "in", ["CRM-1", "CRM-2"])]), 2
        )
        # another company may use the same reference
        company_b = self.env["res.company"].create({"name": "MedEquip Europe B.V."})
        other = Ticket.with_company(company_b).create(
            {
                "subject": "Elsewhere",
                "external_ref": "CRM-1",
                "company_id": company_b.id,
            }
        )
        self.assertNotEqual(other, first)
        # and the database refuses a duplicate written directly
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            batch[0].external_ref = "CRM-1"
            batch[0].flush_recordset()

    def test_stage_emails_and_rating(self):
        ticket = self._ticket(partner_id=self.customer_de.id)
        self._send_acknowledgements()
        received = ticket.message_ids.filtered(
            lambda m: "we received your request" in (m.subject or "")
        )
        self.assertTrue(received, "the New stage sends the acknowledgement")
        self.assertIn(self.customer_de, received.partner_ids)
        ticket.stage_id = self.stage_resolved
        self.env.flush_all()
        self.env.cr.precommit.run()
        rating = ticket.rating_ids.filtered(lambda r: r.partner_id == self.customer_de)
        self.assertEqual(len(rating), 1)
        self.assertTrue(rating.access_token)
        ticket.rating_apply(5, token=rating.access_token, feedback="Fast and friendly")
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertTrue(rating.consumed)


@tagged("post_install", "-at_install")
class TestMailIntake(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create(
            {"name": "aftersales-test.example.com"}
        )
        cls.company.alias_domain_id = domain
        cls.team_sh.write({"alias_name": "service-test", "alias_domain_id": domain.id})

    def _deliver(self, subject, message_id, sender, extra=""):
        email = EMAIL.format(
            sender=sender,
            to="service-test@aftersales-test.example.com",
            subject=subject,
            message_id=message_id,
            extra=extra,
            body="The probe is not detected since this morning.",
        )
        return self.env["mail.thread"].message_process(False, email)

    def test_new_mail_creates_ticket_once_and_replies_thread(self):
        Ticket = self.env["aftersales.ticket"]
        self._deliver(
            "Probe not detected",
            "<m1@klinikum.example>",
            "Dr. Weber <weber@newclinic.example>",
        )
        ticket = Ticket.search([("subject", "=", "Probe not detected")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team_sh)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(
            ticket.partner_id.email, "weber@newclinic.example", "customer created"
        )
        self.assertIn("not detected", ticket.description)
        # the same Message-Id again: nothing new
        self._deliver(
            "Probe not detected",
            "<m1@klinikum.example>",
            "Dr. Weber <weber@newclinic.example>",
        )
        self.assertEqual(
            Ticket.search_count([("subject", "=", "Probe not detected")]), 1
        )
        # a known customer is found by address
        self._deliver(
            "Monitor alarm", "<m2@dubaicare.example>", "IT <it@dubaicare.example>"
        )
        self.assertEqual(
            Ticket.search([("subject", "=", "Monitor alarm")]).partner_id,
            self.customer_ae,
        )
        # a reply threads into the ticket
        count = len(ticket.message_ids)
        self._deliver(
            "Re: Probe not detected",
            "<m3@klinikum.example>",
            "Dr. Weber <weber@newclinic.example>",
            extra=(
                "In-Reply-To: <m1@klinikum.example>\n"
                "References: <m1@klinikum.example>\n"
            ),
        )
        self.assertEqual(
            Ticket.search_count([("subject", "ilike", "Probe not detected")]), 1
        )
        self.assertEqual(len(ticket.message_ids), count + 1)

    def test_reply_to_is_team_alias(self):
        ticket = self._ticket()
        reply_to = ticket._notify_get_reply_to()[ticket.id]
        self.assertIn("service-test@aftersales-test.example.com", reply_to)


@tagged("post_install", "-at_install")
class TestAssignment(AftersalesCase):
    def _messages(self, ticket):
        return " ".join(ticket.message_ids.mapped("body"))

    def test_round_robin_among_fitting_members(self):
        self.team_sh.assignment_method = "round_robin"
        tickets = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"T{i}",
                    "partner_id": self.customer_ae.id,
                    "team_id": self.team_sh.id,
                }
                for i in range(4)
            ]
        )
        self.assertEqual(
            tickets.mapped("user_id").ids, sorted((self.agent | self.agent2).ids)
        )
        users = [t.user_id for t in tickets]
        self.assertNotEqual(users[0], users[1])
        self.assertEqual(users[0], users[2])
        self.assertIn("round robin", self._messages(tickets[0]))

    def test_least_open_and_skills_country_language(self):
        self.team_sh.assignment_method = "least_open"
        self._ticket(user_id=self.agent.id)
        self._ticket(user_id=self.agent.id)
        ticket = self._ticket()
        self.assertEqual(ticket.user_id, self.agent2, "fewest open tickets")
        # skills: the repair type needs electronics, only agent has it
        self.agent.aftersales_skill_ids = [Command.link(self.skill_electronics.id)]
        repair = self._ticket(ticket_type_id=self.type_repair.id)
        self.assertEqual(repair.user_id, self.agent)
        # countries: agent2 serves Nigeria only
        self.agent2.aftersales_country_ids = [Command.set(self.env.ref("base.ng").ids)]
        self.agent.aftersales_country_ids = [Command.set(self.env.ref("base.de").ids)]
        uae = self._ticket(partner_id=self.customer_ae.id)
        self.assertFalse(uae.user_id, "nobody serves the UAE")
        self.assertIn("No member", self._messages(uae))
        # languages
        self.agent2.aftersales_country_ids = False
        self.agent2.aftersales_lang_ids = [
            Command.set(self.env.ref("base.lang_en").ids)
        ]
        self.assertEqual(self._ticket(lang="en_US").user_id, self.agent2)

    def test_manual_assignment_wins(self):
        self.team_sh.assignment_method = "round_robin"
        ticket = self._ticket(user_id=self.agent_de.id)
        self.assertEqual(ticket.user_id, self.agent_de)
        ticket.team_id = self.team_de
        self.assertEqual(ticket.user_id, self.agent_de)
        # an unassigned ticket moved to an automatic team is assigned there
        self.team_de.assignment_method = "round_robin"
        loose = self._ticket(team_id=self.team_de.id)
        self.assertEqual(loose.user_id, self.agent_de)


@tagged("post_install", "-at_install")
class TestAccess(AftersalesCase):
    def test_user_sees_own_team_and_undispatched_only(self):
        Ticket = self.env["aftersales.ticket"]
        own_team = self._ticket()
        undispatched = Ticket.create({"subject": "No team yet", "team_id": False})
        hidden = self._ticket(team_id=self.team_de.id, user_id=self.agent_de.id)
        mine_elsewhere = self._ticket(team_id=self.team_de.id, user_id=self.agent.id)
        visible = Ticket.with_user(self.agent).search(
            [("id", "in", (own_team | undispatched | hidden | mine_elsewhere).ids)]
        )
        self.assertEqual(visible, own_team | undispatched | mine_elsewhere)
        with self.assertRaises(AccessError):
            hidden.with_user(self.agent).read(["subject"])
        with self.assertRaises(AccessError):
            own_team.with_user(self.agent).unlink()
        manager_view = Ticket.with_user(self.manager).search(
            [("id", "in", (own_team | hidden).ids)]
        )
        self.assertEqual(manager_view, own_team | hidden)

    def test_configuration_is_for_managers(self):
        for model, values in (
            ("aftersales.team", {"name": "Rogue"}),
            ("aftersales.stage", {"name": "Rogue"}),
            ("aftersales.ticket.type", {"name": "Rogue"}),
            ("aftersales.sla.policy", {"name": "Rogue"}),
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.agent).create(values)
            self.env[model].with_user(self.manager).create(values)

    def test_users_without_group_see_nothing(self):
        ticket = self._ticket()
        employee = new_test_user(
            self.env, login="as_employee", groups="base.group_user"
        )
        portal = new_test_user(self.env, login="as_portal", groups="base.group_portal")
        for user in (employee, portal):
            with self.assertRaises(AccessError):
                ticket.with_user(user).read(["subject"])

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "MedEquip Brasil Ltda."})
        team_b = (
            self.env["aftersales.team"]
            .with_company(company_b)
            .create({"name": "São Paulo", "company_id": company_b.id})
        )
        ticket_b = (
            self.env["aftersales.ticket"]
            .with_company(company_b)
            .create(
                {"subject": "Brazil", "company_id": company_b.id, "team_id": team_b.id}
            )
        )
        manager_a = new_test_user(
            self.env,
            login="as_manager_a",
            groups="aftersales_service.aftersales_group_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        Ticket = self.env["aftersales.ticket"].with_user(manager_a)
        self.assertFalse(Ticket.search([("id", "=", ticket_b.id)]))
        self.assertFalse(
            self.env["aftersales.team"]
            .with_user(manager_a)
            .search([("id", "=", team_b.id)])
        )
        with self.assertRaises(AccessError):
            ticket_b.with_user(manager_a).read(["subject"])
        with self.assertRaises(UserError):
            self.env["aftersales.ticket"].create(
                {
                    "subject": "Mixed",
                    "company_id": self.company.id,
                    "team_id": team_b.id,
                }
            )


@tagged("post_install", "-at_install")
class TestStale(AftersalesCase):
    def test_stale_ticket_gets_status_update_once(self):
        with freeze_time("2026-03-02 08:00:00"):
            quiet = self._ticket(partner_id=self.customer_de.id)
            busy = self._ticket(partner_id=self.customer_de.id)
            planned = self._ticket(partner_id=self.customer_de.id)
            closed = self._ticket(partner_id=self.customer_de.id)
            closed.stage_id = self.stage_closed
            self.env.flush_all()
        with freeze_time("2026-03-06 08:00:00"):
            busy.message_post(body="Checked the logs", subtype_xmlid="mail.mt_note")
        planned.activity_schedule("mail.mail_activity_data_todo", user_id=self.agent.id)
        with freeze_time("2026-03-09 08:00:00"):
            flagged = self.env["aftersales.ticket"]._cron_stale_check()
            self.assertEqual(flagged, quiet)
            self.assertTrue(quiet.is_stale)
            update = quiet.message_ids.filtered(
                lambda m: "status of your request" in (m.subject or "")
            )
            self.assertEqual(len(update), 1)
            self.assertIn(self.customer_de, update.partner_ids)
            self.assertFalse(
                self.env["aftersales.ticket"]._cron_stale_check(), "not twice"
            )
        with freeze_time("2026-03-09 09:00:00"):
            quiet.with_user(self.agent).message_post(
                body="The spare part has shipped",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(quiet.is_stale)
        self.assertEqual(quiet.stale_notified_date, datetime(2026, 3, 9, 8, 0))
