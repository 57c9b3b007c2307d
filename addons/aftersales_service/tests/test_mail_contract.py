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
