import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    """Automatic assignment of tickets to the members of their team."""

    _inherit = "aftersales.ticket"

    def write(self, vals):
        result = super().write(vals)
        # a ticket moved to a team without assignee: the new team's rule applies
        if vals.get("team_id") and "user_id" not in vals:
            self.filtered(lambda t: not t.user_id)._assign_auto()
        return result

    def _assign_auto(self):
        """Give unassigned tickets of automatic teams to a fitting member.

        Round robin takes the next fitting member after the last one served;
        least open takes the fitting member with the fewest open tickets (one
        grouped query per batch). The rule and the choice are logged in the chatter.
        """
        tickets = self.filtered(
            lambda t: (
                not t.user_id
                and t.team_id.assignment_method in ("round_robin", "least_open")
            )
        )
        if not tickets:
            return
        open_counts = {}
        least_open_teams = tickets.team_id.filtered(
            lambda team: team.assignment_method == "least_open"
        )
        if least_open_teams:
            open_counts = {
                user.id: count
                for user, count in self.sudo()._read_group(
                    [
                        ("is_closed", "=", False),
                        ("user_id", "in", least_open_teams.member_ids.ids),
                    ],
                    ["user_id"],
                    ["__count"],
                )
            }
        by_user = defaultdict(lambda: self.browse())
        bodies = {}
        profiles = self._assignment_profiles(tickets.team_id.member_ids)
        required_skills = self._assignment_required_skills(tickets.ticket_type_id)
        for team in tickets.team_id:
            members = team.member_ids.filtered("active").sorted("id")
            last = team.last_assigned_user_id
            for ticket in tickets.filtered(lambda t, team=team: t.team_id == team):
                required = required_skills.get(ticket.ticket_type_id.id, frozenset())
                fitting = members.filtered(
                    lambda user, ticket=ticket, required=required: (
                        ticket._assignment_fits(profiles[user.id], required)
                    )
                )
                if not fitting:
                    bodies[ticket.id] = self.env._(
                        "No member of team %(team)s fits this ticket (country, "
                        "language, skills): it stays unassigned.",
                        team=team.name,
                    )
                    continue
                if team.assignment_method == "round_robin":
                    after = fitting.filtered(lambda user, last=last: user.id > last.id)
                    user = after[:1] or fitting[:1]
                    rule = self.env._("round robin")
                    last = user
                else:
                    user = min(fitting, key=lambda u: (open_counts.get(u.id, 0), u.id))
                    open_counts[user.id] = open_counts.get(user.id, 0) + 1
                    rule = self.env._("least open tickets")
                by_user[user] |= ticket
                bodies[ticket.id] = self.env._(
                    "Assigned to %(user)s by %(rule)s among the members of %(team)s "
                    "fitting the ticket's country, language and skills.",
                    user=user.name,
                    rule=rule,
                    team=team.name,
                )
            if (
                team.assignment_method == "round_robin"
                and last != team.last_assigned_user_id
            ):
                team.sudo().last_assigned_user_id = last
        for user, user_tickets in by_user.items():
            # one digest per engineer for the batch instead of one email per ticket
            user_tickets.with_context(mail_auto_subscribe_no_notify=True).write(
                {"user_id": user.id}
            )
            if user != self.env.user:
                user_tickets._notify_assignment_digest(user.partner_id)
        if bodies:
            self.browse(bodies)._message_log_batch(
                bodies={
                    ticket_id: Markup("<p>%s</p>") % body
                    for ticket_id, body in bodies.items()
                }
            )

    def _assignment_profiles(self, users):
        """``{user id: (country ids, language codes, skill ids)}`` of engineers,
        what res.users._aftersales_fits() reads, in one query for all of them
        (the ORM reads each many2many and its comodel apart: six queries)."""
        if not users:
            return {}
        Users = self.env["res.users"]
        fnames = [
            "aftersales_country_ids",
            "aftersales_lang_ids",
            "aftersales_skill_ids",
        ]
        Users.flush_model(fnames)
        self.env["res.lang"].flush_model(["code", "active"])
        self.env["aftersales.skill"].flush_model(["active"])
        country, lang, skill = (Users._fields[fname] for fname in fnames)
        # inactive languages and skills are left out, as the ORM's many2many does
        self.env.cr.execute(
            SQL(
                """
                SELECT u.id,
                       ARRAY(SELECT r.%(c_to)s FROM %(c_rel)s r
                              WHERE r.%(c_from)s = u.id),
                       ARRAY(SELECT l.code FROM %(l_rel)s r
                               JOIN res_lang l ON l.id = r.%(l_to)s
                              WHERE r.%(l_from)s = u.id AND l.active),
                       ARRAY(SELECT s.id FROM %(s_rel)s r
                               JOIN aftersales_skill s ON s.id = r.%(s_to)s
                              WHERE r.%(s_from)s = u.id AND s.active)
                  FROM res_users u
                 WHERE u.id = ANY(%(ids)s)
                """,
                c_rel=SQL.identifier(country.relation),
                c_from=SQL.identifier(country.column1),
                c_to=SQL.identifier(country.column2),
                l_rel=SQL.identifier(lang.relation),
                l_from=SQL.identifier(lang.column1),
                l_to=SQL.identifier(lang.column2),
                s_rel=SQL.identifier(skill.relation),
                s_from=SQL.identifier(skill.column1),
                s_to=SQL.identifier(skill.column2),
                ids=users.ids,
            )
        )
        return {
            user_id: (frozenset(countries), frozenset(langs), frozenset(skills))
            for user_id, countries, langs, skills in self.env.cr.fetchall()
        }

    def _assignment_required_skills(self, ticket_types):
        """``{ticket type id: active skill ids}`` in one query."""
        if not ticket_types:
            return {}
        field = self.env["aftersales.ticket.type"]._fields["skill_ids"]
        ticket_types.flush_recordset(["skill_ids"])
        self.env["aftersales.skill"].flush_model(["active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT r.%(from_)s, array_agg(s.id)
                  FROM %(rel)s r
                  JOIN aftersales_skill s ON s.id = r.%(to)s
                 WHERE r.%(from_)s = ANY(%(ids)s) AND s.active
              GROUP BY r.%(from_)s
                """,
                rel=SQL.identifier(field.relation),
                from_=SQL.identifier(field.column1),
                to=SQL.identifier(field.column2),
                ids=ticket_types.ids,
            )
        )
        return {
            type_id: frozenset(skills) for type_id, skills in self.env.cr.fetchall()
        }

    def _assignment_fits(self, profile, required_skills):
        """Whether an engineer of ``profile`` (see _assignment_profiles()) can take
        this ticket: the same rule as res.users._aftersales_fits()."""
        self.ensure_one()
        countries, langs, skills = profile
        if countries and self.country_id.id not in countries:
            return False
        if langs and self.lang not in langs:
            return False
        return required_skills <= skills

    # the assignment digest (aftersales.batch.mail.mixin): one message per
    # engineer listing the tickets of a batch assigned to them

    def _assignment_digest_subject(self):
        return self.env._("%(count)s ticket(s) assigned to you", count=len(self))

    def _assignment_digest_intro(self):
        return self.env._("These tickets were assigned to you:")

    def _assignment_digest_item(self):
        self.ensure_one()
        return Markup(
            "<li><a href='/odoo/action-aftersales_service."
            "aftersales_ticket_action/%s'>%s</a>: %s</li>"
        ) % (self.id, self.name, self.subject)

    def _assignment_digest_post(self, partner, subject, body):
        # on the first ticket, in the light layout, as the assignment notice
        return self[0].message_notify(
            partner_ids=partner.ids,
            body=body,
            subject=subject,
            email_layout_xmlid="mail.mail_notification_light",
        )

    def action_assign_to_me(self):
        self.write({"user_id": self.env.user.id})
