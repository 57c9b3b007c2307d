from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCase

EMAIL = """Return-Path: <{return_path}>
From: {sender}
To: {to}
Subject: {subject}
Date: Mon, 02 Mar 2026 08:00:00 +0000
Message-Id: {message_id}
MIME-Version: 1.0
{extra}Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestMailGateway(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "aftersales-gw.example.com"}
        )
        cls.company.alias_domain_id = cls.alias_domain
        cls.team_desk = cls.env["aftersales.team"].create(
            {
                "name": "Repair Desk",
                "alias_name": "repair-desk",
                "resource_calendar_id": cls.calendar_de.id,
                "member_ids": [Command.set(cls.agent_de.ids)],
            }
        )
        cls.alias_email = "repair-desk@aftersales-gw.example.com"

    def _deliver(self, subject, message_id, sender, to=None, extra="", body=None):
        email = EMAIL.format(
            return_path=sender.split("<")[-1].strip(">"),
            sender=sender,
            to=to or self.alias_email,
            subject=subject,
            message_id=message_id,
            extra=extra,
            body=body or "The ultrasound probe is not detected since this morning.",
        )
        thread_id = self.env["mail.thread"].message_process(False, email.encode())
        # what a commit of the mail gateway would run: tracking, stage emails, and
        # the acknowledgement queue right after it
        self._send_acknowledgements()
        return thread_id

    def _tickets(self, subject):
        return self.env["aftersales.ticket"].search([("subject", "=", subject)])

    def test_alias_set_on_team(self):
        self.assertEqual(self.team_desk.alias_id.alias_domain_id, self.alias_domain)
        self.assertEqual(
            self.team_desk.alias_id.alias_model_id.model, "aftersales.ticket"
        )
        self.assertEqual(self.team_desk.alias_email, self.alias_email)

    def test_new_email_creates_ticket_with_new_customer(self):
        thread_id = self._deliver(
            "Probe not detected",
            "<m1@newclinic.example>",
            "Dr. Anna Weber <weber@newclinic.example>",
        )
        ticket = self._tickets("Probe not detected")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.id, thread_id)
        self.assertEqual(ticket.team_id, self.team_desk)
        self.assertEqual(ticket.company_id, self.company)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertIn("not detected since this morning", ticket.description)
        self.assertRegex(
            ticket.name, r"^SV\d{2,4}-\d{5}$", "an email ticket gets a reference too"
        )
        customer = ticket.partner_id
        self.assertTrue(customer, "a customer is created for an unknown address")
        self.assertEqual(customer.email, "weber@newclinic.example")
        self.assertEqual(customer.name, "Dr. Anna Weber")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email", "=", "weber@newclinic.example")]
            ),
            1,
        )
        incoming = ticket.message_ids.filtered(
            lambda m: m.message_id == "<m1@newclinic.example>"
        )
        self.assertEqual(len(incoming), 1)
        self.assertEqual(incoming.message_type, "email")
        self.assertEqual(incoming.author_id, customer)
        self.assertIn(
            customer, ticket.message_partner_ids, "the customer follows their ticket"
        )
        self.assertFalse(
            ticket.first_response_date, "a customer email is not a response"
        )
        # the customer is acknowledged by the New stage template
        received = ticket.message_ids.filtered(
            lambda m: "we received your request" in (m.subject or "")
        )
        self.assertEqual(len(received), 1)
        self.assertIn(customer, received.partner_ids)

    def test_email_ticket_acknowledged_by_the_queue(self):
        email = EMAIL.format(
            return_path="weber@newclinic.example",
            sender="Dr. Anna Weber <weber@newclinic.example>",
            to=self.alias_email,
            subject="Probe dead",
            message_id="<q1@newclinic.example>",
            extra="",
            body="No image.",
        )
        self.env["mail.thread"].message_process(False, email.encode())
        self.env.cr.flush()  # the gateway's commit
        ticket = self._tickets("Probe dead")
        self.assertRegex(ticket.name, r"^SV\d{2,4}-\d{5}$")
        self.assertTrue(ticket.ack_pending)
        self.assertFalse(
            ticket.message_ids.filtered(
                lambda m: "we received your request" in (m.subject or "")
            )
        )
        self._send_acknowledgements()
        self.assertFalse(ticket.ack_pending)
        received = ticket.message_ids.filtered(
            lambda m: "we received your request" in (m.subject or "")
        )
        self.assertEqual(len(received), 1)
        self.assertEqual(received.subject, f"{ticket.name}: we received your request")
        self.assertEqual(received.partner_ids, ticket.partner_id)

    def test_known_customer_found_by_address(self):
        partners_before = self.env["res.partner"].search_count([])
        self._deliver(
            "Monitor alarm", "<m2@dubaicare.example>", "IT desk <IT@DubaiCare.example>"
        )
        ticket = self._tickets("Monitor alarm")
        self.assertEqual(ticket.partner_id, self.customer_ae)
        self.assertEqual(ticket.country_id, self.env.ref("base.ae"))
        self.assertEqual(ticket.customer_tier, "gold")
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        incoming = ticket.message_ids.filtered(
            lambda m: m.message_id == "<m2@dubaicare.example>"
        )
        self.assertEqual(incoming.author_id, self.customer_ae)
        self.assertIn(self.customer_ae, ticket.message_partner_ids)

    def test_same_message_id_never_makes_two_tickets(self):
        for _attempt in range(2):
            self._deliver(
                "Pump alarm",
                "<same@lagosgh.example>",
                "Biomed <biomed@lagosgh.example>",
            )
        ticket = self._tickets("Pump alarm")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            len(
                ticket.message_ids.filtered(
                    lambda m: m.message_id == "<same@lagosgh.example>"
                )
            ),
            1,
        )

    def test_reply_threads_into_ticket(self):
        self._deliver(
            "Probe not detected",
            "<m1@klinikum.example>",
            "Klinikum <service@klinikum.example>",
        )
        ticket = self._tickets("Probe not detected")
        received = ticket.message_ids.filtered(
            lambda m: "we received your request" in (m.subject or "")
        )
        self.assertTrue(received.message_id)
        count = len(ticket.message_ids)
        # the customer answers the acknowledgement
        self._deliver(
            f"Re: {received.subject}",
            "<m2@klinikum.example>",
            "Klinikum <service@klinikum.example>",
            extra=f"In-Reply-To: {received.message_id}\n"
            f"References: {received.message_id}\n",
            body="Here is the serial number: US-4411.",
        )
        self.assertEqual(
            self.env["aftersales.ticket"].search_count(
                [("partner_id", "=", self.customer_de.id)]
            ),
            1,
        )
        reply = ticket.message_ids.filtered(
            lambda m: m.message_id == "<m2@klinikum.example>"
        )
        self.assertEqual(len(reply), 1)
        self.assertIn("US-4411", reply.body)
        self.assertEqual(reply.author_id, self.customer_de)
        self.assertEqual(len(ticket.message_ids), count + 1)
        # a reply to the customer's own first email, sent to the alias, threads as well
        self._deliver(
            "Re: Probe not detected",
            "<m3@klinikum.example>",
            "Klinikum <service@klinikum.example>",
            extra="In-Reply-To: <m1@klinikum.example>\n"
            "References: <m1@klinikum.example>\n",
        )
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: m.message_id == "<m3@klinikum.example>"
            )
        )
        self.assertEqual(len(ticket.message_ids), count + 2, "only the reply is added")
        self.assertEqual(
            self.env["aftersales.ticket"].search_count(
                [("partner_id", "=", self.customer_de.id)]
            ),
            1,
        )

    def test_reply_to_of_outgoing_messages_is_team_alias(self):
        ticket = self._ticket(team_id=self.team_desk.id, partner_id=self.customer_de.id)
        self._send_acknowledgements()
        received = ticket.message_ids.filtered(
            lambda m: "we received your request" in (m.subject or "")
        )
        self.assertIn(self.alias_email, received.reply_to)
        self.assertIn(self.alias_email, ticket._notify_get_reply_to()[ticket.id])
        mail = self.env["mail.mail"].search([("mail_message_id", "=", received.id)])
        self.assertTrue(mail)
        self.assertIn(self.alias_email, mail.reply_to)
        posted = ticket.message_post(
            body="We will call you",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer_de.ids,
        )
        self.assertIn(self.alias_email, posted.reply_to)
        # a ticket of a team without alias falls back on the company catchall
        other = self._ticket(team_id=self.team_sh.id)
        self.assertNotIn(self.alias_email, other._notify_get_reply_to()[other.id])
        self.assertIn(
            self.alias_domain.catchall_email, other._notify_get_reply_to()[other.id]
        )

    def test_email_ticket_assigned_by_team_rule(self):
        self.team_desk.assignment_method = "round_robin"
        self._deliver(
            "Printer jam",
            "<m5@klinikum.example>",
            "Klinikum <service@klinikum.example>",
        )
        ticket = self._tickets("Printer jam")
        self.assertEqual(ticket.user_id, self.agent_de)
        self.assertIn("round robin", " ".join(ticket.message_ids.mapped("body")))
