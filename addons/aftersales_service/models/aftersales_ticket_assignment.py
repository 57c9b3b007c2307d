import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    """Automatic assignment of tickets to the members of their team."""

    _inherit = "aftersales.ticket"

    # indexed by a partial index (WHERE assign_digest_pending), see init()
    assign_digest_pending = fields.Boolean(
        string="Assignment Digest Pending",
        readonly=True,
        copy=False,
        help="The assignee has not yet been told of this ticket: the cron "
        "After-Sales: send ticket acknowledgements sends each engineer one digest "
        "of the tickets assigned to them, right after the ticket is saved.",
    )

    def init(self):
        res = super().init()
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_assign_digest_pending_index",
            self._table,
            ["id"],
            where="assign_digest_pending",
        )
        return res

    def write(self, vals):
        result = super().write(vals)
        # a ticket moved to a team without assignee: the new team's rule applies
        if vals.get("team_id") and "user_id" not in vals:
            self.filtered(lambda t: not t.user_id)._assign_auto()
        return result

    # teams whose tickets are assigned automatically
    _ASSIGNMENT_METHODS = ("round_robin", "least_open")

    def _assign_auto(self):
        """Give unassigned tickets of automatic teams to a fitting member (a team
        change of existing tickets; new tickets are assigned before their insert,
        see _assign_before_create()).

        Round robin takes the next fitting member after the last one served;
        least open takes the fitting member with the fewest open tickets (one
        grouped query per batch). The rule and the choice are logged in the chatter;
        the engineers hear of their new tickets by the digest queue.
        """
        tickets = self.filtered(
            lambda t: (
                not t.user_id
                and t.team_id.assignment_method in self._ASSIGNMENT_METHODS
            )
        )
        if not tickets:
            return
        choices = self._assignment_choose(
            [
                (
                    ticket.id,
                    ticket.team_id,
                    ticket.ticket_type_id,
                    ticket.country_id.id,
                    ticket.lang,
                )
                for ticket in tickets
            ]
        )
        by_user = defaultdict(list)
        for ticket_id, (user, _body) in choices.items():
            if user:
                by_user[user].append(ticket_id)
        for user, ticket_ids in by_user.items():
            self.browse(ticket_ids).with_context(
                mail_auto_subscribe_no_notify=True
            ).write({"user_id": user.id})
        notified = [
            ticket_id
            for user, ticket_ids in by_user.items()
            if user != self.env.user
            for ticket_id in ticket_ids
        ]
        self.browse(notified)._queue_assignment_digests()
        self.browse(list(choices))._message_log_batch(
            bodies={
                ticket_id: Markup("<p>%s</p>") % body
                for ticket_id, (_user, body) in choices.items()
            }
        )

    @api.model
    def _assign_before_create(self, vals_list):
        """Choose the assignee of new tickets of automatic teams before their
        insert: ``user_id`` is put in the values (one insert, the assignee
        subscribed with the other followers, no second write and no tracking
        message). Return ``{index in vals_list: chatter note}``: the rule and the
        choice, logged once the tickets exist."""
        defaults = self._context_defaults()
        items = []
        team_ids = self._creation_team_ids(vals_list)
        for index, (vals, team_id) in enumerate(zip(vals_list, team_ids, strict=True)):
            values = {**defaults, **vals}
            if values.get("user_id"):
                continue
            items.append((index, team_id, values))
        if not items:
            return {}
        teams = self.env["aftersales.team"].browse(
            {team_id for _index, team_id, _values in items if team_id}
        )
        automatic = set(
            teams.filtered(
                lambda team: team.assignment_method in self._ASSIGNMENT_METHODS
            ).ids
        )
        items = [item for item in items if item[1] in automatic]
        if not items:
            return {}
        # the customers, the members and the creator: read before, at once, by
        # _prefetch_before_create(); sudo as there
        partners = self.env["res.partner"].sudo()
        Types = self.env["aftersales.ticket.type"]
        prepared = []
        for index, team_id, values in items:
            partner = partners.browse(values.get("partner_id") or [])
            if "country_id" in values:
                country_id = values["country_id"] or False
            else:
                country = partner.country_id or partner.commercial_partner_id.country_id
                country_id = country.id
            lang = values.get("lang", partner.lang or False)
            prepared.append(
                (
                    index,
                    teams.browse(team_id),
                    Types.browse(values.get("ticket_type_id") or []),
                    country_id,
                    lang,
                )
            )
        choices = self._assignment_choose(prepared)
        for index, (user, _body) in choices.items():
            if user:
                vals_list[index]["user_id"] = user.id
        return {index: body for index, (_user, body) in choices.items()}

    @api.model
    def _assignment_members(self, team_ids):
        """``(user ids, partner ids)`` of the active members of the automatic
        teams among ``team_ids``, from the snapshots kept per registry (no read
        of the teams)."""
        user_ids, partner_ids = set(), set()
        for team_id in team_ids:
            snapshot = self._assignment_team_snapshot(team_id)
            if snapshot["method"] in self._ASSIGNMENT_METHODS:
                user_ids.update(snapshot["member_ids"])
                partner_ids.update(snapshot["partner_ids"])
        return user_ids, partner_ids

    @api.model
    def _assignment_choose(self, items):
        """The assignee of each item ``(key, team, ticket type, country id,
        language code)`` of an automatic team: ``{key: (user or None, chatter
        note)}``. Moves the round robin of each team."""
        teams = self.env["aftersales.team"].browse(
            {team.id for _key, team, _type, _country, _lang in items}
        )
        snapshots = {team.id: self._assignment_team_snapshot(team.id) for team in teams}
        Users = self.env["res.users"]
        open_counts = {}
        least_open_ids = [
            user_id
            for snapshot in snapshots.values()
            if snapshot["method"] == "least_open"
            for user_id in snapshot["member_ids"]
        ]
        if least_open_ids:
            open_counts = {
                user.id: count
                for user, count in self.sudo()._read_group(
                    [("is_closed", "=", False), ("user_id", "in", least_open_ids)],
                    ["user_id"],
                    ["__count"],
                )
            }
        grade_ranks = self._assignment_grade_ranks(
            Users.browse(
                {
                    user_id
                    for snapshot in snapshots.values()
                    if snapshot["prefer_grade"]
                    for user_id in snapshot["member_ids"]
                }
            )
        )
        required_skills = self._assignment_required_skills(
            self.env["aftersales.ticket.type"].union(
                *(ticket_type for _key, _team, ticket_type, _c, _l in items)
            )
        )
        choices = {}
        for team in teams:
            snapshot = snapshots[team.id]
            profiles = snapshot["profiles"]
            # sudo: read above with the creator (_assign_before_create)
            members = Users.sudo().browse(snapshot["member_ids"])
            last = team.last_assigned_user_id
            ranks = grade_ranks if snapshot["prefer_grade"] else {}
            for key, _team, ticket_type, country_id, lang in items:
                if _team != team:
                    continue
                required = required_skills.get(ticket_type.id, frozenset())
                fitting = members.filtered(
                    lambda user, c=country_id, lg=lang, req=required, p=profiles: (
                        self._assignment_fits_values(p[user.id], req, c, lg)
                    )
                )
                if not fitting:
                    choices[key] = (
                        None,
                        self.env._(
                            "No member of team %(team)s fits this ticket (country, "
                            "language, skills): it stays unassigned.",
                            team=team.name,
                        ),
                    )
                    continue
                if snapshot["method"] == "round_robin":
                    after = fitting.filtered(lambda user, last=last: user.id > last.id)
                    user = after[:1] or fitting[:1]
                    rule = self.env._("round robin")
                    last = user
                else:
                    # among as many open tickets: the better-graded dealer's
                    # engineer first when the team's company prefers grades
                    # (no ranks otherwise), then the lowest id
                    user = min(
                        fitting,
                        key=lambda u, ranks=ranks: (
                            open_counts.get(u.id, 0),
                            ranks.get(u.id, 0),
                            u.id,
                        ),
                    )
                    open_counts[user.id] = open_counts.get(user.id, 0) + 1
                    rule = self.env._("least open tickets")
                choices[key] = (
                    user,
                    self.env._(
                        "Assigned to %(user)s by %(rule)s among the members of "
                        "%(team)s fitting the ticket's country, language and skills.",
                        user=user.name,
                        rule=rule,
                        team=team.name,
                    ),
                )
            if (
                snapshot["method"] == "round_robin"
                and last != team.last_assigned_user_id
            ):
                self._assignment_move_pointer(team, last)
        return choices

    @api.model
    def _assignment_move_pointer(self, team, user):
        """Move the round robin of ``team`` to ``user``: a pointer, not a change
        of the team to track, follow or date, written by one UPDATE of its column
        (no write() through mail.thread and the alias mixin per ticket)."""
        team.flush_recordset(["last_assigned_user_id"])
        self.env.cr.execute(
            SQL(
                "UPDATE aftersales_team SET last_assigned_user_id = %s WHERE id = %s",
                user.id or None,
                team.id,
            )
        )
        team.invalidate_recordset(["last_assigned_user_id"])

    @api.model
    @tools.ormcache("team_id")
    def _assignment_team_snapshot(self, team_id):
        """What the assignment reads of a team that changes only with its
        configuration, kept per registry (and cleared when a team, an engineer's
        teams, countries, languages or skills, a skill or a company's dispatch
        setting change: see clear_cache() in those models): ``{"method",
        "prefer_grade", "member_ids"}`` (active members, by id), ``"partner_ids"``
        (their contacts) and ``"profiles"`` (``_assignment_profiles()``). Read
        as superuser: the team's configuration decides, whoever creates the
        ticket. Saves a new ticket four queries."""
        team = self.env["aftersales.team"].sudo().browse(team_id).exists()
        members = team.member_ids.filtered("active").sorted("id")
        return {
            "method": team.assignment_method,
            "prefer_grade": bool(team.company_id.aftersales_dispatch_prefer_grade),
            "member_ids": tuple(members.ids),
            "partner_ids": tuple(members.partner_id.ids),
            "profiles": self.sudo()._assignment_profiles(members),
        }

    # the order of dealer grades in dispatch: A first, ungraded last
    _ASSIGNMENT_GRADE_RANKS = {"A": 1, "B": 2, "C": 3}

    def _assignment_grade_ranks(self, users):
        """``{user id: rank}`` of engineers by the current grade of the dealer
        their contact belongs to (its commercial partner): A 1, B 2, C 3, no
        dealer or no grade 4. Two reads for all of them (contacts, companies)."""
        if not users:
            return {}
        ungraded = len(self._ASSIGNMENT_GRADE_RANKS) + 1
        # sudo: the grade of an engineer's company decides, whoever creates the
        # ticket (a portal user cannot read the engineers' contacts)
        return {
            user.id: self._ASSIGNMENT_GRADE_RANKS.get(
                user.partner_id.commercial_partner_id.aftersales_grade, ungraded
            )
            for user in users.sudo()
        }

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
        """``{ticket type id: active skill ids}``, kept per registry and ticket
        type (cleared when a type's skills or a skill's state change, see
        clear_cache() in those models)."""
        if not ticket_types:
            return {}
        result = {}
        for type_id in ticket_types.ids:
            skills = self._assignment_type_skills(type_id)
            if skills:
                result[type_id] = skills
        return result

    @api.model
    @tools.ormcache("type_id")
    def _assignment_type_skills(self, type_id):
        """The active skills a ticket type requires, in one query."""
        ticket_types = self.env["aftersales.ticket.type"].browse(type_id)
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
        return frozenset(
            skill for _type_id, skills in self.env.cr.fetchall() for skill in skills
        )

    def _assignment_fits(self, profile, required_skills):
        """Whether an engineer of ``profile`` (see _assignment_profiles()) can take
        this ticket: the same rule as res.users._aftersales_fits()."""
        self.ensure_one()
        return self._assignment_fits_values(
            profile, required_skills, self.country_id.id, self.lang
        )

    @api.model
    def _assignment_fits_values(self, profile, required_skills, country_id, lang):
        """_assignment_fits() for a ticket of this country and language."""
        countries, langs, skills = profile
        if countries and country_id not in countries:
            return False
        if langs and lang not in langs:
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

    def _queue_assignment_digests(self):
        """Queue these automatically assigned tickets for their assignee's digest,
        sent by the acknowledgement cron right after the commit (one digest per
        engineer for everything assigned since its last run, instead of one
        notification per ticket and transaction)."""
        if not self or self.env.context.get("mail_auto_subscribe_no_notify"):
            return
        if not self.env.registry.ready:  # no notification during the install
            return
        # marked in the cache: flushed in the UPDATE that stores the tickets'
        # computed fields, it commits or rolls back with them; sudo: an internal
        # flag, whoever created the ticket
        self.sudo().write({"assign_digest_pending": True})
        self._trigger_acknowledgements()

    @api.model
    def _queue_assignment_digests_before_create(self, vals_list, indices):
        """Before the insert, as _queue_assignment_digests() after it: put
        ``assign_digest_pending`` in the values of the new tickets assigned
        automatically (``indices`` in ``vals_list``) to another user than their
        creator; the flag is in the ticket's insert. Returns whether one was
        queued (create() triggers the cron then)."""
        if self.env.context.get("mail_auto_subscribe_no_notify"):
            return False
        if not self.env.registry.ready:  # no notification during the install
            return False
        queued = False
        for index in indices:
            user_id = vals_list[index].get("user_id")
            if user_id and user_id != self.env.uid:
                vals_list[index]["assign_digest_pending"] = True
                queued = True
        return queued

    @api.model
    def _send_assignment_digests(self, batch_size=200):
        """Send the queued assignment digests, one per engineer, for at most
        ``batch_size`` tickets; return ``(tickets done, tickets remaining)``.
        Taken off the queue in SQL (``FOR UPDATE SKIP LOCKED``) as the
        acknowledgements: two overlapping runs never send the same ticket twice."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE aftersales_ticket
               SET assign_digest_pending = false
             WHERE id IN (SELECT id
                            FROM aftersales_ticket
                           WHERE assign_digest_pending
                        ORDER BY id
                           LIMIT %s
                             FOR UPDATE SKIP LOCKED)
         RETURNING id, user_id
            """,
            [batch_size],
        )
        rows = sorted(self.env.cr.fetchall())
        self.browse([row[0] for row in rows]).invalidate_recordset(
            ["assign_digest_pending"]
        )
        by_user = defaultdict(list)
        for ticket_id, user_id in rows:
            if user_id:  # unassigned since: nobody to tell
                by_user[user_id].append(ticket_id)
        users = self.env["res.users"].sudo().browse(list(by_user))
        for user in users:
            tickets = self.browse(by_user[user.id])
            try:
                with self.env.cr.savepoint():
                    tickets._notify_assignment_digest(user.partner_id)
            except Exception as error:  # noqa: BLE001 - the others still go out
                _logger.warning(
                    "Assignment digest of %s not sent: %s", user.login, error
                )
        remaining = 0
        if len(rows) == batch_size:
            self.env.cr.execute(
                "SELECT count(*) FROM aftersales_ticket WHERE assign_digest_pending"
            )
            remaining = self.env.cr.fetchone()[0]
        return len(rows), remaining

    def action_assign_to_me(self):
        self.write({"user_id": self.env.user.id})
