from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestAutoAssignment(AftersalesCase):
    """A team of three engineers (created in this order, so ordered by id)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["res.lang"]._activate_lang("de_DE")
        group_user = "aftersales_service.aftersales_group_user"
        cls.eng_a = new_test_user(
            cls.env, login="as_eng_a", groups=group_user, name="Engineer Ada"
        )
        cls.eng_b = new_test_user(
            cls.env, login="as_eng_b", groups=group_user, name="Engineer Bo"
        )
        cls.eng_c = new_test_user(
            cls.env, login="as_eng_c", groups=group_user, name="Engineer Cai"
        )
        cls.team = cls.env["aftersales.team"].create(
            {
                "name": "Field Service",
                "resource_calendar_id": cls.calendar_sh.id,
                "member_ids": [Command.set((cls.eng_a | cls.eng_b | cls.eng_c).ids)],
                "assignment_method": "round_robin",
            }
        )
        cls.skill_remote = cls.env.ref("aftersales_service.skill_remote")
        cls.skill_installation = cls.env.ref("aftersales_service.skill_installation")

    def _new(self, count=1, **values):
        vals = {
            "subject": "Ventilator alarm",
            "partner_id": self.customer_ae.id,
            "team_id": self.team.id,
        }
        vals.update(values)
        return self.env["aftersales.ticket"].create(
            [dict(vals, subject=f"{vals['subject']} {i}") for i in range(count)]
        )

    def _bodies(self, ticket):
        return " ".join(ticket.message_ids.mapped("body"))

    # the team's members and profiles, kept per registry ----------------

    def test_cached_members_follow_every_change(self):
        """The assignment keeps each team's members and their countries,
        languages and skills between tickets; every change of them counts at
        once for the next ticket."""
        self.team.assignment_method = "least_open"
        # warm: the least loaded, lowest id, takes it
        self.assertEqual(self._new().user_id, self.eng_a)
        # an engineer's countries, from the user's side
        (self.eng_a | self.eng_b).aftersales_country_ids = [
            Command.set(self.env.ref("base.ng").ids)
        ]
        self.assertEqual(self._new().user_id, self.eng_c)
        # a new member, added from the user's side (the many2many's other end)
        eng_d = new_test_user(
            self.env,
            login="as_eng_d",
            groups="aftersales_service.aftersales_group_user",
        )
        eng_d.aftersales_team_ids = [Command.link(self.team.id)]
        self.assertEqual(self._new().user_id, eng_d)
        # a skill the ticket type needs, then the skill archived
        remote_type = self.env["aftersales.ticket.type"].create(
            {
                "name": "Remote Session",
                "skill_ids": [Command.set(self.skill_remote.ids)],
            }
        )
        self.eng_c.aftersales_skill_ids = [Command.set(self.skill_remote.ids)]
        self.assertEqual(self._new(ticket_type_id=remote_type.id).user_id, self.eng_c)
        self.skill_remote.active = False
        # no active skill required any more: the least loaded fitting member
        self.assertEqual(self._new(ticket_type_id=remote_type.id).user_id, eng_d)
        # a member archived, then one removed from the team
        eng_d.active = False
        self.team.member_ids = [Command.unlink(self.eng_c.id)]
        ticket = self._new()
        self.assertFalse(ticket.user_id)
        # the assignment method itself
        (self.eng_a | self.eng_b).aftersales_country_ids = [Command.clear()]
        self.team.assignment_method = "round_robin"
        self.team.sudo().last_assigned_user_id = self.eng_a
        self.assertEqual(self._new().user_id, self.eng_b)

    def test_cached_type_skills_follow_changes(self):
        """The skills a ticket type requires are kept per registry: a change of
        the type's skills counts at once for the next ticket."""
        self.team.assignment_method = "least_open"
        ticket_type = self.env["aftersales.ticket.type"].create(
            {"name": "Site Survey", "skill_ids": [Command.set(self.skill_remote.ids)]}
        )
        (self.eng_a | self.eng_b).aftersales_skill_ids = [
            Command.set(self.skill_installation.ids)
        ]
        self.eng_c.aftersales_skill_ids = [Command.set(self.skill_remote.ids)]
        self.assertEqual(self._new(ticket_type_id=ticket_type.id).user_id, self.eng_c)
        ticket_type.skill_ids = [Command.set(self.skill_installation.ids)]
        self.assertEqual(self._new(ticket_type_id=ticket_type.id).user_id, self.eng_a)
        ticket_type.skill_ids = [Command.clear()]
        # no skill required: the least loaded of all (Ada and Cai hold one each)
        self.assertEqual(self._new(ticket_type_id=ticket_type.id).user_id, self.eng_b)

    # round robin ---------------------------------------------------------

    def test_round_robin_in_turn(self):
        users = [self._new().user_id for _i in range(4)]
        self.assertEqual(users, [self.eng_a, self.eng_b, self.eng_c, self.eng_a])
        self.assertEqual(self.team.last_assigned_user_id, self.eng_a)

    def test_round_robin_batch_continues_rotation(self):
        self.team.sudo().last_assigned_user_id = self.eng_b
        tickets = self._new(count=5)
        self.assertEqual(
            [t.user_id for t in tickets],
            [self.eng_c, self.eng_a, self.eng_b, self.eng_c, self.eng_a],
        )
        self.assertEqual(
            self._new().user_id,
            self.eng_b,
            "the next single ticket goes on from the batch",
        )

    def test_round_robin_skips_members_who_do_not_fit(self):
        # Bo only serves Nigeria
        self.eng_b.aftersales_country_ids = [Command.set(self.env.ref("base.ng").ids)]
        uae = [self._new().user_id for _i in range(3)]
        self.assertEqual(uae, [self.eng_a, self.eng_c, self.eng_a])
        # for a Nigerian customer Bo is next after Ada
        self.assertEqual(self._new(partner_id=self.customer_ng.id).user_id, self.eng_b)

    # least open tickets ----------------------------------------------------

    def test_least_open_counts_open_tickets(self):
        self.team.assignment_method = "least_open"
        other_team = self.team_sh
        self._new(user_id=self.eng_a.id)
        self._new(user_id=self.eng_a.id)
        # open tickets of another team count too: it is the engineer's load
        self._new(team_id=other_team.id, user_id=self.eng_b.id)
        # closed tickets do not count
        closed = self._new(count=3, user_id=self.eng_c.id)
        closed.write({"stage_id": self.stage_closed.id})
        self.assertEqual(self._new().user_id, self.eng_c)
        # now a=2, b=1, c=1: the tie goes to the first member
        self.assertEqual(self._new().user_id, self.eng_b)
        self.assertIn("least open tickets", self._bodies(self._new()))

    def test_least_open_batch_updates_counts(self):
        self.team.assignment_method = "least_open"
        self._new(count=2, user_id=self.eng_a.id)
        self._new(user_id=self.eng_b.id)
        tickets = self._new(count=3)
        # a=2 b=1 c=0 -> c; b=1 c=1 -> b; a=2 b=2 c=1 -> c
        self.assertEqual(
            [t.user_id for t in tickets], [self.eng_c, self.eng_b, self.eng_c]
        )

    # fitting members -------------------------------------------------------

    def test_country_filter(self):
        self.eng_a.aftersales_country_ids = [Command.set(self.env.ref("base.de").ids)]
        self.eng_b.aftersales_country_ids = [Command.set(self.env.ref("base.ae").ids)]
        self.eng_c.aftersales_country_ids = [
            Command.set((self.env.ref("base.ng") | self.env.ref("base.de")).ids)
        ]
        self.assertEqual(self._new(partner_id=self.customer_ae.id).user_id, self.eng_b)
        self.assertEqual(self._new(partner_id=self.customer_ng.id).user_id, self.eng_c)
        self.assertEqual(self._new(partner_id=self.customer_de.id).user_id, self.eng_a)
        # the ticket's own country counts, also when corrected by hand
        self.assertEqual(
            self._new(
                partner_id=self.customer_de.id, country_id=self.env.ref("base.ae").id
            ).user_id,
            self.eng_b,
        )

    def test_language_filter(self):
        self.eng_a.aftersales_lang_ids = [Command.set(self.env.ref("base.lang_de").ids)]
        self.eng_b.aftersales_lang_ids = [Command.set(self.env.ref("base.lang_fr").ids)]
        self.eng_c.aftersales_lang_ids = [Command.set(self.env.ref("base.lang_en").ids)]
        french = self.env["res.partner"].create(
            {
                "name": "Clinique Rabat",
                "lang": "fr_FR",
                "country_id": self.env.ref("base.ma").id,
            }
        )
        ticket = self._new(partner_id=french.id)
        self.assertEqual(ticket.lang, "fr_FR")
        self.assertEqual(ticket.user_id, self.eng_b)
        self.assertEqual(self._new(lang="de_DE").user_id, self.eng_a)
        self.assertEqual(self._new(lang="en_US").user_id, self.eng_c)

    def test_skill_filter(self):
        type_remote_repair = self.env["aftersales.ticket.type"].create(
            {
                "name": "Remote board repair",
                "skill_ids": [
                    Command.set((self.skill_electronics | self.skill_remote).ids)
                ],
            }
        )
        self.eng_a.aftersales_skill_ids = [Command.set(self.skill_installation.ids)]
        self.eng_b.aftersales_skill_ids = [Command.set(self.skill_electronics.ids)]
        self.eng_c.aftersales_skill_ids = [
            Command.set(
                (
                    self.skill_electronics | self.skill_remote | self.skill_installation
                ).ids
            )
        ]
        # repair needs electronics: Bo and Cai have it, in turn
        repairs = self._new(count=3, ticket_type_id=self.type_repair.id)
        self.assertEqual(
            [t.user_id for t in repairs], [self.eng_b, self.eng_c, self.eng_b]
        )
        # both skills: only Cai has all of them
        self.assertEqual(
            self._new(ticket_type_id=type_remote_repair.id).user_id, self.eng_c
        )
        # a type without skills: anybody, in turn after Cai
        self.assertEqual(
            self._new(ticket_type_id=self.type_question.id).user_id, self.eng_a
        )

    def test_nobody_fits_leaves_ticket_unassigned(self):
        (self.eng_a | self.eng_b | self.eng_c).write(
            {"aftersales_country_ids": [Command.set(self.env.ref("base.de").ids)]}
        )
        self.team.sudo().last_assigned_user_id = self.eng_b
        ticket = self._new(partner_id=self.customer_ng.id)
        self.assertFalse(ticket.user_id)
        self.assertIn(
            "No member of team Field Service fits this ticket", self._bodies(ticket)
        )
        self.assertEqual(
            self.team.last_assigned_user_id, self.eng_b, "the rotation did not move"
        )

    # manual assignment and chatter ------------------------------------------

    def test_manual_assignment_wins(self):
        ticket = self._new(user_id=self.eng_c.id)
        self.assertEqual(ticket.user_id, self.eng_c)
        self.assertNotIn("round robin", self._bodies(ticket))
        self.assertFalse(
            self.team.last_assigned_user_id, "a manual choice is not a turn"
        )
        # a later team change keeps the assignee, even to an automatic team
        self.team_sh.assignment_method = "least_open"
        ticket.team_id = self.team_sh
        self.assertEqual(ticket.user_id, self.eng_c)
        # a team and an assignee written together: the assignee is kept
        ticket.write({"team_id": self.team.id, "user_id": self.agent.id})
        self.assertEqual(ticket.user_id, self.agent)

    def test_unassigned_ticket_moved_to_automatic_team(self):
        self.team_sh.assignment_method = "manual"
        ticket = self._new(team_id=self.team_sh.id)
        self.assertFalse(ticket.user_id, "a manual team does not assign")
        ticket.team_id = self.team
        self.assertEqual(ticket.user_id, self.eng_a)
        # also when the stage changes in the same write
        other = self._new(team_id=self.team_sh.id)
        other.write({"team_id": self.team.id, "stage_id": self.stage_accepted.id})
        self.assertEqual(other.user_id, self.eng_b)

    def test_rule_and_assignee_in_chatter(self):
        ticket = self._new()
        self.env.cr.flush()
        note = ticket.message_ids.filtered(lambda m: "Assigned to" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(
            "Assigned to Engineer Ada by round robin among the members of "
            "Field Service",
            note.body,
        )
        # an existing ticket moved into the team: note and tracked assignee
        self.team_sh.assignment_method = "manual"
        later = self._new(team_id=self.team_sh.id)
        self.env.cr.flush()
        later.team_id = self.team
        self.env.cr.flush()
        self.assertIn("Assigned to Engineer Bo by round robin", self._bodies(later))
        tracked = later.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "user_id"
        )
        self.assertEqual(tracked.new_value_char, "Engineer Bo")

    def _digests(self, user):
        return self.env["mail.message"].search(
            [
                ("partner_ids", "in", user.partner_id.ids),
                ("subject", "like", "assigned to you"),
            ]
        )

    def test_batch_sends_one_digest_per_engineer(self):
        tickets = self._new(count=4)
        self.assertEqual(
            [t.user_id for t in tickets],
            [self.eng_a, self.eng_b, self.eng_c, self.eng_a],
        )
        # the digests are queued with the tickets, sent right after the commit
        self.assertTrue(all(tickets.mapped("assign_digest_pending")))
        self._send_acknowledgements()
        self.assertFalse(any(tickets.mapped("assign_digest_pending")))
        digests = self._digests(self.eng_a)
        self.assertEqual(len(digests), 1)
        self.assertEqual(digests.subject, "2 ticket(s) assigned to you")
        for ticket in tickets.filtered(lambda t: t.user_id == self.eng_a):
            self.assertIn(ticket.name, digests.body)

    def test_tickets_one_per_call_share_one_digest(self):
        # one ticket per transaction (XML-RPC, a form): each engineer gets one
        # digest for everything assigned to them since the queue's last run
        tickets = self.env["aftersales.ticket"]
        for _i in range(5):
            tickets |= self._new()
            self.env.cr.flush()
        self.assertFalse(self._digests(self.eng_a), "queued, not sent yet")
        self._send_acknowledgements()
        for user, count in ((self.eng_a, 2), (self.eng_b, 2), (self.eng_c, 1)):
            digest = self._digests(user)
            self.assertEqual(len(digest), 1)
            self.assertEqual(digest.subject, f"{count} ticket(s) assigned to you")
            self.assertEqual(digest.partner_ids, user.partner_id)
            for ticket in tickets.filtered(lambda t, user=user: t.user_id == user):
                self.assertIn(ticket.name, digest.body)
        # the queue is empty: a second run sends nothing more
        self._send_acknowledgements()
        self.assertEqual(len(self._digests(self.eng_a)), 1)

    def test_new_ticket_assigned_at_its_insert(self):
        # the assignee is in the insert: subscribed, no tracking of a second
        # write, no "you have been assigned" notification besides the digest
        ticket = self._new()
        self.env.cr.flush()
        self.assertEqual(ticket.user_id, self.eng_a)
        self.assertIn(self.eng_a.partner_id, ticket.message_partner_ids)
        self.assertFalse(
            ticket.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "user_id"
            )
        )
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("partner_ids", "in", self.eng_a.partner_id.ids),
                    ("subject", "not like", "assigned to you"),
                    ("model", "=", "aftersales.ticket"),
                    ("res_id", "=", ticket.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )
        self.assertTrue(ticket.assign_digest_pending)
        # a ticket its creator takes himself: nobody to tell
        own = self.env["aftersales.ticket"].create(
            {
                "subject": "Mine",
                "partner_id": self.customer_ae.id,
                "team_id": self.team.id,
                "user_id": self.env.user.id,
            }
        )
        self.assertFalse(own.assign_digest_pending)

    def test_assignment_when_a_user_creates_the_ticket(self):
        self.team.sudo().last_assigned_user_id = self.eng_a
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.eng_a)
            .create(
                {
                    "subject": "Call from the field",
                    "partner_id": self.customer_ae.id,
                    "team_id": self.team.id,
                }
            )
        )
        self.assertEqual(ticket.user_id, self.eng_b)
        self.assertEqual(self.team.last_assigned_user_id, self.eng_b)
        self.assertIn("Assigned to Engineer Bo", self._bodies(ticket))
