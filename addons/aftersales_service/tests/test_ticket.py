import importlib.util
import re
from datetime import datetime
from unittest.mock import patch

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import file_path, format_datetime, mute_logger

from .common import AftersalesCase


class TicketCase(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.customer_fr = cls.env["res.partner"].create(
            {
                "name": "Hôpital Lyon Sud",
                "email": "biomed@lyonsud.example",
                "country_id": cls.env.ref("base.fr").id,
                "lang": "fr_FR",
                "aftersales_tier": "silver",
            }
        )
        cls.sequence = cls.env.ref("aftersales_service.seq_aftersales_ticket")

    def _process_tracking(self):
        """Run what Odoo runs before a commit (tracking messages and stage
        templates) and right after it (the acknowledgement queue)."""
        self._send_acknowledgements()

    def _messages_with_subject(self, ticket, text):
        return ticket.message_ids.filtered(lambda m: text in (m.subject or ""))


@tagged("post_install", "-at_install")
class TestTicketReference(TicketCase):
    @freeze_time("2026-03-02 08:00:00")
    def test_reference_from_sequence(self):
        prefix, suffix = self.sequence._get_prefix_suffix()
        self.assertTrue(
            prefix.startswith("SV") and "26" in prefix and prefix.endswith("-"), prefix
        )
        pattern = rf"^{re.escape(prefix)}(\d{{5}}){re.escape(suffix)}$"
        tickets = self.env["aftersales.ticket"].create(
            [
                {"subject": f"Batch {i}", "partner_id": self.customer_ae.id}
                for i in range(3)
            ]
        )
        single = self._ticket()
        numbers = []
        for ticket in tickets | single:
            match = re.match(pattern, ticket.name)
            self.assertTrue(match, f"{ticket.name} does not follow {prefix}00000")
            numbers.append(int(match.group(1)))
        # the batch takes consecutive numbers in creation order, the next create goes on
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)))
        # the shipped sequence: SV, the year in two digits, a dash, five digits
        self.assertRegex(single.name, r"^SV\d{2}-\d{5}$")

    def test_reference_given_is_kept_and_not_copied(self):
        ticket = self._ticket(name="LEGACY-42")
        self.assertEqual(ticket.name, "LEGACY-42")
        copy = ticket.copy()
        self.assertNotEqual(copy.name, ticket.name)
        self.assertTrue(copy.name.startswith("SV"))

    @freeze_time("2026-03-02 08:00:00")
    def test_reference_per_company(self):
        Ticket = self.env["aftersales.ticket"]
        company_b = self.env["res.company"].create({"name": "MedEquip Europe B.V."})
        company_c = self.env["res.company"].create({"name": "MedEquip Gulf FZE"})
        self.env["ir.sequence"].create(
            {
                "name": "After-Sales Ticket (Europe)",
                "code": "aftersales.ticket",
                "prefix": "SVEU%(y)s-",
                "padding": 5,
                "company_id": company_b.id,
            }
        )
        ticket_a = self._ticket()
        tickets_b = Ticket.with_company(company_b).create(
            [{"subject": "EU 1"}, {"subject": "EU 2", "company_id": company_b.id}]
        )
        self.assertEqual(tickets_b.company_id, company_b)
        # company B numbers its tickets with its own sequence, from 1
        self.assertEqual(tickets_b.mapped("name"), ["SVEU26-00001", "SVEU26-00002"])
        # also when the company comes from the context default (a form of company B)
        ticket_b3 = Ticket.with_context(default_company_id=company_b.id).create(
            {"subject": "EU 3"}
        )
        self.assertEqual(ticket_b3.company_id, company_b)
        self.assertEqual(ticket_b3.name, "SVEU26-00003")
        # a company without its own sequence shares the common one
        ticket_c = Ticket.with_company(company_c).create({"subject": "Gulf"})
        prefix, _suffix = self.sequence._get_prefix_suffix()
        for ticket in ticket_a | ticket_c:
            self.assertRegex(ticket.name, rf"^{re.escape(prefix)}\d{{5}}$")
        names = (ticket_a | tickets_b | ticket_b3 | ticket_c).mapped("name")
        self.assertEqual(len(set(names)), len(names))


@tagged("post_install", "-at_install")
class TestTicketLifecycleSteps(TicketCase):
    def test_default_stage_and_customer_data(self):
        ticket = self._ticket(partner_id=self.customer_fr.id)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.is_closed)
        self.assertEqual(ticket.country_id, self.env.ref("base.fr"))
        self.assertEqual(ticket.lang, "fr_FR")
        self.assertEqual(ticket.customer_tier, "silver")
        self.assertEqual(ticket.email_from, "biomed@lyonsud.example")
        # the agent corrects them on the ticket; the customer is not changed
        ticket.write(
            {
                "country_id": self.env.ref("base.be").id,
                "lang": "en_US",
                "customer_tier": "vip",
            }
        )
        self.env.invalidate_all()
        self.assertEqual(ticket.country_id, self.env.ref("base.be"))
        self.assertEqual(ticket.lang, "en_US")
        self.assertEqual(ticket.customer_tier, "vip")
        self.assertEqual(self.customer_fr.country_id, self.env.ref("base.fr"))
        self.assertEqual(self.customer_fr.aftersales_tier, "silver")
        # another customer brings their own data
        ticket.partner_id = self.customer_ae
        self.assertEqual(ticket.country_id, self.env.ref("base.ae"))
        self.assertEqual(ticket.customer_tier, "gold")

    def test_values_given_at_creation_win_over_customer(self):
        ticket = self._ticket(
            partner_id=self.customer_fr.id,
            country_id=self.env.ref("base.ch").id,
            customer_tier="gold",
        )
        self.assertEqual(ticket.country_id, self.env.ref("base.ch"))
        self.assertEqual(ticket.customer_tier, "gold")
        self.assertEqual(ticket.lang, "fr_FR")

    def test_tier_from_commercial_partner(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Dr. Haddad",
                "parent_id": self.customer_ae.id,
                "email": "haddad@dubaicare.example",
            }
        )
        self.customer_ae.is_company = True
        ticket = self._ticket(partner_id=contact.id)
        self.assertEqual(ticket.customer_tier, "gold")
        self.assertEqual(ticket.country_id, self.env.ref("base.ae"))

    def test_tier_is_the_companys_for_its_contacts(self):
        """The service tier is a commercial field: a contact carries its
        company's tier (its ticket reads it without reading the company), and
        follows when the company's tier changes."""
        company = self.env["res.partner"].create(
            {
                "name": "Gulf Imaging LLC",
                "is_company": True,
                "aftersales_tier": "silver",
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Ms. Rahman", "parent_id": company.id}
        )
        self.assertEqual(contact.aftersales_tier, "silver")
        company.aftersales_tier = "vip"
        self.assertEqual(contact.aftersales_tier, "vip")
        self.assertEqual(self._ticket(partner_id=contact.id).customer_tier, "vip")
        # a contact moved to another company takes that company's tier
        contact.parent_id = self.customer_fr
        self.assertEqual(contact.aftersales_tier, "silver")

    def test_tier_migration_copies_the_companys_tier(self):
        """Upgrading to 18.0.1.3.0 gives the existing contacts their company's
        tier, which a ticket now reads from the contact."""
        company = self.env["res.partner"].create(
            {"name": "Gulf Imaging LLC", "is_company": True, "aftersales_tier": "gold"}
        )
        contact = self.env["res.partner"].create(
            {"name": "Ms. Rahman", "parent_id": company.id}
        )
        self.env.flush_all()
        # a contact as the versions before kept it: the default tier
        self.env.cr.execute(
            "UPDATE res_partner SET aftersales_tier = 'standard' WHERE id = %s",
            [contact.id],
        )
        self.env.invalidate_all()
        self.assertEqual(contact.aftersales_tier, "standard")
        path = file_path("aftersales_service/migrations/18.0.1.3.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("tier_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(contact.aftersales_tier, "gold")
        self.assertEqual(company.aftersales_tier, "gold")
        self.assertEqual(self._ticket(partner_id=contact.id).customer_tier, "gold")

    def test_stage_moves_and_close_date(self):
        with freeze_time("2026-03-02 08:00:00"):
            ticket = self._ticket()
            self._process_tracking()
        with freeze_time("2026-03-03 09:00:00"):
            ticket.stage_id = self.stage_accepted
            self._process_tracking()
            self.assertFalse(ticket.close_date)
            self.assertFalse(ticket.is_closed)
        stage_messages = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("aftersales_service.mt_ticket_stage")
        )
        self.assertEqual(len(stage_messages), 1)
        tracking = stage_messages.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "stage_id"
        )
        self.assertEqual(
            (tracking.old_value_char, tracking.new_value_char), ("New", "Accepted")
        )
        with freeze_time("2026-03-04 10:00:00"):
            ticket.stage_id = self.stage_resolved
            self.assertTrue(ticket.is_closed)
            self.assertEqual(ticket.close_date, datetime(2026, 3, 4, 10, 0))
        with freeze_time("2026-03-05 10:00:00"):
            # from one closing stage to another: still closed since the first time
            ticket.stage_id = self.stage_closed
            self.assertEqual(ticket.close_date, datetime(2026, 3, 4, 10, 0))
        with freeze_time("2026-03-06 10:00:00"):
            ticket.stage_id = self.stage_accepted
            self.assertFalse(ticket.close_date)
            self.assertFalse(ticket.is_closed)
        with freeze_time("2026-03-09 10:00:00"):
            ticket.write({"stage_id": self.stage_closed.id})
            self.assertEqual(ticket.close_date, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(
            self.env["aftersales.ticket"].search(
                [("id", "=", ticket.id), ("is_closed", "=", True)]
            ),
            ticket,
        )


@tagged("post_install", "-at_install")
class TestTicketExternalRef(TicketCase):
    def test_same_ref_returns_existing_ticket(self):
        Ticket = self.env["aftersales.ticket"]
        first = self._ticket(external_ref="CRM-1")
        again = self._ticket(external_ref="CRM-1", subject="Retry of the same call")
        self.assertEqual(again, first)
        self.assertEqual(
            first.subject, "Screen flickers", "the existing ticket is not modified"
        )
        self.assertEqual(Ticket.search_count([("external_ref", "=", "CRM-1")]), 1)

    def test_batch_keeps_positions(self):
        Ticket = self.env["aftersales.ticket"]
        first = self._ticket(external_ref="CRM-1")
        batch = Ticket.create(
            [
                {"subject": "A", "external_ref": "CRM-2"},
                {"subject": "No reference"},
                {"subject": "A twice", "external_ref": "CRM-2"},
                {"subject": "B", "external_ref": "CRM-1"},
                {"subject": "C", "external_ref": "CRM-3"},
            ]
        )
        self.assertEqual(len(batch), 5, "one record per value list, in order")
        self.assertEqual(batch[0], batch[2])
        self.assertEqual(batch[3], first)
        self.assertEqual(batch[0].subject, "A")
        self.assertEqual(batch[1].subject, "No reference")
        self.assertEqual(batch[4].subject, "C")
        self.assertEqual(len(set(batch.ids)), 4)
        self.assertEqual(
            Ticket.search_count([("external_ref", "in", ["CRM-1", "CRM-2", "CRM-3"])]),
            3,
        )

    def test_archived_ticket_is_returned(self):
        first = self._ticket(external_ref="CRM-9")
        first.active = False
        self.assertEqual(self._ticket(external_ref="CRM-9"), first)

    def test_ref_unique_per_company_only(self):
        Ticket = self.env["aftersales.ticket"]
        first = self._ticket(external_ref="CRM-1")
        company_b = self.env["res.company"].create({"name": "MedEquip Europe B.V."})
        other = Ticket.with_company(company_b).create(
            {"subject": "Elsewhere", "external_ref": "CRM-1"}
        )
        self.assertNotEqual(other, first)
        self.assertEqual(other.company_id, company_b)
        explicit = Ticket.create(
            {
                "subject": "Elsewhere again",
                "external_ref": "CRM-1",
                "company_id": company_b.id,
            }
        )
        self.assertEqual(explicit, other)
        self.assertEqual(Ticket.search_count([("external_ref", "=", "CRM-1")]), 2)

    def test_database_refuses_duplicate_written_directly(self):
        self._ticket(external_ref="CRM-1")
        second = self._ticket(external_ref="CRM-2")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            second.external_ref = "CRM-1"
            second.flush_recordset(["external_ref"])


@tagged("post_install", "-at_install")
class TestTicketStageMail(TicketCase):
    def test_new_ticket_acknowledged(self):
        ticket = self._ticket(partner_id=self.customer_de.id)
        self._process_tracking()
        received = self._messages_with_subject(ticket, "we received your request")
        self.assertEqual(
            len(received), 1, "the New stage sends the acknowledgement once"
        )
        self.assertEqual(received.subject, f"{ticket.name}: we received your request")
        self.assertIn(self.customer_de, received.partner_ids)
        self.assertIn(ticket.name, received.body)
        notification = received.notification_ids.filtered(
            lambda n: n.res_partner_id == self.customer_de
        )
        self.assertEqual(notification.notification_type, "email")
        self.assertTrue(
            self.env["mail.mail"].search([("mail_message_id", "=", received.id)]),
            "an email is queued for the customer",
        )
        # no other stage template on a stage without one
        ticket.stage_id = self.stage_accepted
        self._process_tracking()
        self.assertEqual(
            len(
                ticket.message_ids.filtered(lambda m: self.customer_de in m.partner_ids)
            ),
            1,
        )

    def test_no_acknowledgement_without_customer(self):
        ticket = self.env["aftersales.ticket"].create(
            {"subject": "Internal check", "team_id": self.team_sh.id}
        )
        self._process_tracking()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(
            self._messages_with_subject(ticket, "we received your request")
        )

    def test_resolved_sends_rating_request_and_rating_is_stored(self):
        ticket = self._ticket(partner_id=self.customer_de.id)
        self._process_tracking()
        self.assertFalse(ticket.rating_ids)
        ticket.stage_id = self.stage_resolved
        self._process_tracking()
        request = self._messages_with_subject(ticket, "how was our service?")
        self.assertEqual(len(request), 1)
        self.assertIn(self.customer_de, request.partner_ids)
        rating = ticket.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer_de)
        self.assertTrue(rating.access_token)
        self.assertFalse(rating.consumed)
        self.assertEqual(rating.parent_res_model, "aftersales.team")
        self.assertEqual(rating.parent_res_id, self.team_sh.id)
        self.assertIn(f"/rate/{rating.access_token}/5", request.body)

        ticket.rating_apply(5, token=rating.access_token, feedback="Fast and friendly")
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertTrue(rating.consumed)
        posted = ticket.message_ids.filtered(lambda m: rating in m.rating_ids)
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.author_id, self.customer_de)
        self.assertIn("Fast and friendly", posted.body)
        # the customer changes their mind with the same link: one message, last value
        ticket.rating_apply(1, token=rating.access_token, feedback="Broke again")
        self.assertEqual(ticket.rating_last_value, 1)
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: rating in m.rating_ids)), 1
        )

    def test_stage_emails_sent_when_a_user_works_the_ticket(self):
        """A service user (not a manager) takes a phone call and resolves it."""
        Ticket = self.env["aftersales.ticket"].with_user(self.agent)
        ticket = Ticket.create(
            {"subject": "Display dark", "partner_id": self.customer_de.id}
        )
        self._process_tracking()
        self.assertEqual(ticket.team_id, self.team_sh)
        self.assertEqual(
            len(self._messages_with_subject(ticket, "we received your request")), 1
        )
        ticket.stage_id = self.stage_resolved
        self._process_tracking()
        request = self._messages_with_subject(ticket, "how was our service?")
        self.assertEqual(len(request), 1)
        self.assertIn(self.customer_de, request.partner_ids)
        self.assertEqual(ticket.sudo().rating_ids.partner_id, self.customer_de)


@tagged("post_install", "-at_install")
class TestTicketBatchMail(TicketCase):
    """A batch of tickets gets the same chatter as tickets created one by one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.ref("base.module_aftersales_service")._update_translations(["zh_CN"])
        cls.customer_cn = cls.env["res.partner"].create(
            {
                "name": "Shenzhen People's Hospital",
                "email": "equipment@szph.example",
                "country_id": cls.env.ref("base.cn").id,
                "lang": "zh_CN",
            }
        )
        cls.customer_de.lang = "en_US"
        cls.team_sh.assignment_method = "round_robin"

    def _acknowledgements(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.partner_ids and m.message_type == "auto_comment"
        )

    def _chatter_shape(self, ticket):
        """Messages and followers of a ticket, without what is its own."""
        own = ticket.partner_id | ticket.user_id.partner_id
        return (
            sorted(
                (m.message_type, m.subtype_id.id, len(m.partner_ids))
                for m in ticket.message_ids
            ),
            ticket.message_partner_ids - own,
            bool(own - ticket.message_partner_ids),
        )

    @freeze_time("2026-03-02 03:00:00")  # Monday 11:00 in Shanghai
    def test_batch_one_acknowledgement_per_ticket_in_its_language(self):
        single = self._ticket(partner_id=self.customer_de.id, subject="Alone")
        self._process_tracking()
        starts = [datetime(2026, 3, 2, hour) for hour in (1, 2, 3)]
        customers = [self.customer_cn, self.customer_de, self.customer_cn]
        tickets = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Probe {index}",
                    "partner_id": customer.id,
                    "team_id": self.team_sh.id,
                    "sla_start_date": start,
                }
                for index, (customer, start) in enumerate(
                    zip(customers, starts, strict=True)
                )
            ]
        )
        self._process_tracking()
        self.assertEqual(len(set(tickets.mapped("response_deadline"))), 3)
        subjects = {
            "zh_CN": "%s：我们已收到您的请求",
            "en_US": "%s: we received your request",
        }
        for ticket in tickets:
            customer = ticket.partner_id
            ack = self._acknowledgements(ticket)
            self.assertEqual(len(ack), 1, "one acknowledgement per ticket")
            self.assertEqual(ack.partner_ids, customer)
            self.assertEqual(ack.subject, subjects[customer.lang] % ticket.name)
            self.assertIn(ticket.name, ack.body)
            deadline = format_datetime(
                self.env,
                ticket.response_deadline,
                tz=ticket.team_id.tz,
                dt_format="medium",
                lang_code=customer.lang,
            )
            self.assertIn(deadline, ack.body, "its own deadline, in its language")
            if customer.lang == "zh_CN":
                self.assertIn("我们已收到您的请求", ack.body)
            else:
                self.assertIn("We received your request", ack.body)
            mail = self.env["mail.mail"].search([("mail_message_id", "=", ack.id)])
            self.assertEqual(len(mail), 1, "one email per ticket")
            self.assertEqual(mail.recipient_ids, customer)
            self.assertEqual(
                ack.notification_ids.filtered(
                    lambda n, c=customer: n.res_partner_id == c
                ).notification_type,
                "email",
            )
            # creation note, assignment note, acknowledgement; followers
            self.assertTrue(ticket.user_id)
            self.assertEqual(self._chatter_shape(ticket), self._chatter_shape(single))

    def test_batch_creators_and_contexts_keep_their_own_messages(self):
        """Tickets created in one transaction by two users: each acknowledgement
        is posted as its creator."""
        first = self._ticket(partner_id=self.customer_de.id)
        second = (
            self.env["aftersales.ticket"]
            .with_user(self.agent)
            .create([{"subject": "Agent's call", "partner_id": self.customer_cn.id}])
        )
        self._process_tracking()
        self.assertEqual(
            self._acknowledgements(first).author_id, self.env.user.partner_id
        )
        self.assertEqual(
            self._acknowledgements(second).author_id, self.agent.partner_id
        )


@tagged("post_install", "-at_install")
class TestAcknowledgementQueue(TicketCase):
    """The acknowledgement of a new ticket is sent by a cron right after commit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.ref("base.module_aftersales_service")._update_translations(["zh_CN"])
        cls.customer_cn = cls.env["res.partner"].create(
            {
                "name": "Shenzhen People's Hospital",
                "email": "equipment@szph.example",
                "country_id": cls.env.ref("base.cn").id,
                "lang": "zh_CN",
            }
        )
        cls.customer_de.lang = "en_US"
        cls.cron = cls.env.ref(
            "aftersales_service.ir_cron_aftersales_send_acknowledgements"
        )

    def _acks(self, tickets):
        return tickets.message_ids.filtered(
            lambda m: (
                "we received your request" in (m.subject or "")
                or "我们已收到您的请求" in (m.subject or "")
            )
        )

    def _create(self, count, customer=None):
        return self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Probe {index}",
                    "partner_id": (customer or self.customer_de).id,
                    "team_id": self.team_sh.id,
                }
                for index in range(count)
            ]
        )

    def test_flag_set_in_create_and_cleared_by_cron(self):
        triggers = self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.cron.id)]
        )
        ticket = self._ticket(partner_id=self.customer_de.id)
        self.assertTrue(ticket.ack_pending, "marked in the creating transaction")
        self.env.cr.flush()  # what the commit runs
        self.assertTrue(ticket.ack_pending)
        self.assertFalse(self._acks(ticket), "not sent inside the transaction")
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            triggers + 1,
            "the cron is triggered to run right after the commit",
        )
        sent = self._send_acknowledgements()
        self.assertEqual(sent, ticket)
        self.assertFalse(ticket.ack_pending)
        ack = self._acks(ticket)
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.partner_ids, self.customer_de)
        self.assertEqual(ack.author_id, self.env.user.partner_id)
        self.assertEqual(ack.message_type, "auto_comment")
        self.assertEqual(
            len(self.env["mail.mail"].search([("mail_message_id", "=", ack.id)])), 1
        )
        self.assertNotIn("ack_pending", ticket.copy_data()[0])

    def test_one_trigger_per_transaction(self):
        triggers = self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.cron.id)]
        )
        self._ticket(partner_id=self.customer_de.id)
        self._create(3)
        self.env.cr.flush()
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            triggers + 1,
        )

    def test_committed_triggers_are_shared_within_a_window(self):
        """After a committed trigger for now, the transactions of the next seconds
        share one trigger for the end of the window: no trigger and no
        notification of the cron workers per transaction."""
        from ..models import aftersales_ticket_acknowledgement as ack

        dbname = self.env.cr.dbname
        # what earlier tests of this process committed (at the real time) is not
        # this test's window
        ack._ACK_TRIGGERS.pop(dbname, None)
        self.addCleanup(ack._ACK_TRIGGERS.pop, dbname, None)
        Trigger = self.env["ir.cron.trigger"]
        cron_domain = [("cron_id", "=", self.cron.id)]

        def commit_ticket():
            # what the commit of a one-ticket transaction runs
            self._create(1)
            self.env.cr.precommit.run()
            self.env.cr.postcommit.run()

        with freeze_time("2026-12-03 10:00:00"):
            before = Trigger.search(cron_domain)
            commit_ticket()
            first = Trigger.search(cron_domain) - before
            self.assertEqual(len(first), 1)
            self.assertEqual(first.call_at, datetime(2026, 12, 3, 10, 0, 0))
        with freeze_time("2026-12-03 10:00:03"):
            commit_ticket()
            later = Trigger.search(cron_domain) - before - first
            self.assertEqual(len(later), 1, "one trigger for the end of the window")
            self.assertEqual(later.call_at, datetime(2026, 12, 3, 10, 0, 13))
        for second in (4, 9):
            with freeze_time(f"2026-12-03 10:00:{second:02d}"):
                commit_ticket()
        self.assertEqual(
            Trigger.search(cron_domain) - before, first | later, "covered by it"
        )
        with freeze_time("2026-12-03 10:00:12"):
            commit_ticket()
            # too close to the deferred trigger, and the window is over: at once
        with freeze_time("2026-12-03 10:01:00"):
            commit_ticket()  # a quiet minute later: at once again
        added = (Trigger.search(cron_domain) - before - first - later).sorted("call_at")
        self.assertEqual(
            added.mapped("call_at"),
            [datetime(2026, 12, 3, 10, 0, 12), datetime(2026, 12, 3, 10, 1, 0)],
        )

    def test_a_ticket_whose_email_fails_does_not_block_the_queue(self):
        tickets = self._create(3)
        bad = tickets[1]
        ticket_class = type(self.env["aftersales.ticket"])
        post = ticket_class._post_acknowledgements

        def post_or_fail(records):
            if bad in records:
                raise ValueError("the template cannot be rendered")
            return post(records)

        with (
            patch.object(ticket_class, "_post_acknowledgements", post_or_fail),
            mute_logger("odoo.addons.aftersales_service.models.aftersales_ticket"),
        ):
            sent = self.env["aftersales.ticket"]._cron_send_acknowledgements()
        self.assertEqual(sent, tickets)
        self.assertEqual(len(self._acks(tickets - bad)), 2, "the others went out")
        self.assertFalse(self._acks(bad))
        self.assertFalse(tickets.filtered("ack_pending"), "nobody stays queued")
        self.assertIn(
            "could not be sent",
            bad.message_ids[0].body,
            "the failure is on the ticket's chatter",
        )
        self.assertFalse(self.env["aftersales.ticket"]._cron_send_acknowledgements())

    def test_one_acknowledgement_when_the_cron_runs_twice(self):
        tickets = self._create(3)
        self.assertEqual(self._send_acknowledgements(), tickets)
        self.assertFalse(self._send_acknowledgements(), "nothing left to send")
        for ticket in tickets:
            self.assertEqual(len(self._acks(ticket)), 1)

    def test_cron_works_in_batches_and_reports_progress(self):
        tickets = self._create(5)
        self.env.cr.flush()
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.cron.id, "done": 0, "remaining": 0}
        )
        Ticket = self.env["aftersales.ticket"].with_context(
            ir_cron_progress_id=progress.id
        )
        reported = []
        for _run in range(4):
            sent = Ticket._cron_send_acknowledgements(batch_size=2)
            reported.append((len(sent), progress.done, progress.remaining))
        self.assertEqual(reported, [(2, 2, 3), (2, 2, 1), (1, 1, 0), (0, 0, 0)])
        self.assertFalse(any(tickets.mapped("ack_pending")))
        for ticket in tickets:
            self.assertEqual(len(self._acks(ticket)), 1)

    def test_each_ticket_in_its_language(self):
        chinese = self._ticket(partner_id=self.customer_cn.id, subject="探头")
        english = self._ticket(partner_id=self.customer_de.id, subject="Probe")
        self._send_acknowledgements()
        ack_cn, ack_en = self._acks(chinese), self._acks(english)
        self.assertEqual(ack_cn.subject, f"{chinese.name}：我们已收到您的请求")
        self.assertIn("我们已收到您的请求", ack_cn.body)
        self.assertEqual(ack_cn.partner_ids, self.customer_cn)
        self.assertEqual(ack_en.subject, f"{english.name}: we received your request")
        self.assertIn("We received your request", ack_en.body)
        self.assertEqual(ack_en.partner_ids, self.customer_de)

    def test_author_is_the_creator(self):
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.agent)
            .create({"subject": "Agent's call", "partner_id": self.customer_de.id})
        )
        self._send_acknowledgements()
        self.assertEqual(self._acks(ticket).author_id, self.agent.partner_id)

    def test_stage_change_before_the_queue(self):
        """A ticket resolved before the cron ran: the acknowledgement first, once,
        then the rating request."""
        ticket = self._ticket(partner_id=self.customer_de.id)
        self.env.cr.flush()  # saved; the queue has not run yet
        ticket.stage_id = self.stage_resolved
        self.assertFalse(ticket.ack_pending)
        self.assertEqual(len(self._acks(ticket)), 1)
        self._send_acknowledgements()
        self.assertEqual(len(self._acks(ticket)), 1)
        self.assertEqual(
            len(self._messages_with_subject(ticket, "how was our service?")), 1
        )

    def test_no_flag_without_acknowledgement(self):
        internal = self.env["aftersales.ticket"].create(
            {"subject": "Internal check", "team_id": self.team_sh.id}
        )
        silent = (
            self.env["aftersales.ticket"]
            .with_context(tracking_disable=True)
            .create({"subject": "Import", "partner_id": self.customer_de.id})
        )
        self.assertFalse(internal.ack_pending)
        self.assertFalse(silent.ack_pending)

    def test_company_sends_right_away(self):
        self.company.aftersales_ack_immediate = True
        ticket = self._ticket(partner_id=self.customer_de.id)
        self.assertFalse(ticket.ack_pending)
        self.env.cr.flush()  # the commit
        self.assertEqual(len(self._acks(ticket)), 1, "sent in the transaction")
        self._send_acknowledgements()
        self.assertEqual(len(self._acks(ticket)), 1)


@tagged("post_install", "-at_install")
class TestTicketProductCompany(TicketCase):
    """The ticket reads its product's company with a query of its own, kept
    per registry (_check_company): the ORM's rule still holds, with the ORM's
    message, and a product changing company counts for the next ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other GmbH"})
        cls.branch = cls.env["res.company"].create(
            {"name": "Shanghai Branch", "parent_id": cls.company.id}
        )
        Product = cls.env["product.product"]
        cls.shared = Product.create({"name": "Shared scanner"})
        cls.own = Product.create({"name": "Own scanner", "company_id": cls.company.id})
        cls.foreign = Product.create(
            {"name": "Foreign scanner", "company_id": cls.other_company.id}
        )

    def _create(self, product, company=None):
        return self.env["aftersales.ticket"].create(
            {
                "subject": "Scanner",
                "partner_id": self.customer_de.id,
                "product_id": product.id,
                "company_id": (company or self.company).id,
            }
        )

    def test_products_of_the_company_its_parents_or_shared(self):
        self.assertEqual(self._create(self.shared).product_id, self.shared)
        self.assertEqual(self._create(self.own).product_id, self.own)
        # a branch uses its parent company's products
        ticket = self._create(self.own, company=self.branch)
        self.assertEqual(ticket.product_id, self.own)

    def test_product_of_another_company_is_refused(self):
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self._create(self.foreign)
        # nor a branch's product on its parent company's ticket
        branch_product = self.env["product.product"].create(
            {"name": "Branch scanner", "company_id": self.branch.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self._create(branch_product)
        ticket = self._create(self.shared)
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            ticket.product_id = self.foreign
        ticket.product_id = self.own
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            ticket.company_id = self.other_company

    def test_product_company_change_reaches_next_ticket(self):
        self.assertEqual(self._create(self.shared).product_id, self.shared)
        # the product's company is kept: the shared product given to another
        # company is refused at once
        self.shared.product_tmpl_id.company_id = self.other_company
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self._create(self.shared)
        self.shared.product_tmpl_id.company_id = False
        self.assertEqual(self._create(self.shared).product_id, self.shared)
        # an SLA policy of another company given in the values is refused too
        # (the policies' companies are read from the policies kept per registry)
        foreign_policy = (
            self.env["aftersales.sla.policy"]
            .with_company(self.other_company)
            .create({"name": "Other", "company_id": self.other_company.id})
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env["aftersales.ticket"].create(
                {
                    "subject": "Scanner",
                    "partner_id": self.customer_de.id,
                    "sla_policy_id": foreign_policy.id,
                }
            )
