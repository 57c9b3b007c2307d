import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import models

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
        for team in tickets.team_id:
            members = team.member_ids.filtered("active").sorted("id")
            last = team.last_assigned_user_id
            for ticket in tickets.filtered(lambda t, team=team: t.team_id == team):
                fitting = members.filtered(
                    lambda user, ticket=ticket: user._aftersales_fits(ticket)
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
            user_tickets._notify_assignment_digest(user)
        if bodies:
            self.browse(bodies)._message_log_batch(
                bodies={
                    ticket_id: Markup("<p>%s</p>") % body
                    for ticket_id, body in bodies.items()
                }
            )

    def _notify_assignment_digest(self, user):
        """Tell an engineer, in one message, which tickets were assigned to them."""
        if not self or user == self.env.user or not user.partner_id:
            return
        items = Markup("").join(
            Markup(
                "<li><a href='/odoo/action-aftersales_service."
                "aftersales_ticket_action/%s'>%s</a>: %s</li>"
            )
            % (ticket.id, ticket.name, ticket.subject)
            for ticket in self
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("These tickets were assigned to you:"),
            items,
        )
        self[0].message_notify(
            partner_ids=user.partner_id.ids,
            body=body,
            subject=self.env._("%(count)s ticket(s) assigned to you", count=len(self)),
            email_layout_xmlid="mail.mail_notification_light",
        )

    def action_assign_to_me(self):
        self.write({"user_id": self.env.user.id})
