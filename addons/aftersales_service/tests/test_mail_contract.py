from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestMailThreadContract(AftersalesCase):
    """What the batched creation of tickets (and RMAs) relies on in mail.thread,
    where Odoo offers no public hook for it: these fail loudly if an Odoo release
    changes it, instead of tickets silently losing followers or emails."""

    def test_subscription_fields_as_mail_thread_matches_them(self):
        # mail.thread's own matching of parent subtypes (private tuple, read here
        # only to compare): the ticket's fields whose followers follow it
        relation = self.env["mail.message.subtype"]._get_auto_subscription_subtypes(
            "aftersales.ticket"
        )[4]
        theirs = {"user_id"} | {f for fnames in relation.values() for f in fnames}
        ours = self.env["aftersales.ticket"]._auto_subscription_fields()
        self.assertEqual(set(ours), theirs)
        self.assertIn("team_id", ours, "the team's ticket subtypes")

    def test_default_subtypes_as_mail_thread_gives_them(self):
        Subtype = self.env["mail.message.subtype"]
        for model in ("aftersales.ticket", "aftersales.team"):
            self.assertEqual(
                set(Subtype.default_subtypes(model)[0].ids),
                set(Subtype._get_auto_subscription_subtypes(model)[1]),
            )

    def test_team_followers_follow_new_tickets(self):
        follower = self.env["res.partner"].create({"name": "Team watcher"})
        self.team_sh.message_subscribe(follower.ids)
        tickets = self.env["aftersales.ticket"].create(
            [{"subject": f"Alarm {i}", "team_id": self.team_sh.id} for i in range(3)]
        )
        for ticket in tickets:
            self.assertIn(follower, ticket.message_partner_ids)

    def test_mail_notrack_stops_the_creation_templates(self):
        """mail.thread posts no tracking template of a record created with
        ``mail_notrack``: the ticket's create() relies on it to post the stage
        emails itself, once for the batch."""
        self.company.aftersales_ack_immediate = True
        Ticket = self.env["aftersales.ticket"]
        silent = Ticket.with_context(mail_notrack=True).create(
            {"subject": "Import", "partner_id": self.customer_de.id}
        )
        sent = Ticket.create(
            [
                {"subject": f"Call {i}", "partner_id": self.customer_de.id}
                for i in range(2)
            ]
        )
        self.env.cr.flush()  # the commit: precommit calls
        for ticket, count in ((silent, 0), (sent[0], 1), (sent[1], 1)):
            acks = ticket.message_ids.filtered(
                lambda m: "we received your request" in (m.subject or "")
            )
            self.assertEqual(len(acks), count)

    def test_creator_follows_as_mail_thread_subscribes_them(self):
        """The ticket's create() subscribes its creator with the other followers
        (mail_create_nosubscribe given to mail.thread): the same partner and
        subtypes as mail.thread's create gives, and not with the context key."""
        Subtype = self.env["mail.message.subtype"]
        Ticket = self.env["aftersales.ticket"].with_user(self.agent)
        ticket = Ticket.create({"subject": "Alarm", "partner_id": self.customer_de.id})
        follower = ticket.message_follower_ids.filtered(
            lambda f: f.partner_id == self.agent.partner_id
        )
        self.assertEqual(len(follower), 1)
        self.assertEqual(
            set(follower.subtype_ids.ids),
            set(Subtype.default_subtypes("aftersales.ticket")[0].ids),
        )
        # mail.thread's own subscription of a creator, on another model
        team = (
            self.env["aftersales.team"]
            .with_user(self.manager)
            .create({"name": "Contract check"})
        )
        self.assertIn(self.manager.partner_id, team.message_partner_ids)
        quiet = Ticket.with_context(mail_create_nosubscribe=True).create(
            {"subject": "Import", "partner_id": self.customer_de.id}
        )
        self.assertNotIn(self.agent.partner_id, quiet.message_partner_ids)
        untracked = Ticket.with_context(tracking_disable=True).create(
            {"subject": "Bulk", "partner_id": self.customer_de.id}
        )
        self.assertFalse(untracked.message_partner_ids)
