import logging
from collections import defaultdict

from odoo import api, fields, models, tools

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    """Mail gateway, chatter, followers and rating of tickets; batched posting
    and the assignment digest come from ``aftersales.batch.mail.mixin``."""

    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "aftersales.batch.mail.mixin"]

    # computed before the insert (a new ticket has no rating: 0, no query) instead
    # of by a query of rating.mixin's after it
    rating_last_value = fields.Float(
        compute="_compute_rating_last_value",
        compute_sudo=True,
        store=True,
        precompute=True,
    )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from")
        partner = self.env["res.partner"]
        if email_from:
            partner = self._mail_find_partner_from_emails(
                [email_from], force_create=True
            )[0]
        values.setdefault(
            "subject", msg_dict.get("subject") or self.env._("(no subject)")
        )
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("channel", "email")
        # mail.thread puts the subject in the _rec_name ("name") when it is empty:
        # keep the placeholder so that create() gives the ticket its sequence number
        values.setdefault("name", "New")
        if partner:
            values.setdefault("partner_id", partner.id)
            # a customer created just now was unknown when the gateway parsed the
            # email: make them the author, so the email is theirs and they follow
            # the ticket (the gateway posts the message with this dict)
            if not msg_dict.get("author_id"):
                msg_dict["author_id"] = partner.id
        values.setdefault("email_from", email_from)
        return super().message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        if self.env.context.get("aftersales_status_update"):
            return result
        values = {}
        if self.is_stale:
            values["is_stale"] = False
        if (
            not self.first_response_date
            and message.message_type == "comment"
            and not message.subtype_id.internal
            and message.author_id
            and any(user._is_internal() for user in message.author_id.user_ids)
        ):
            values["first_response_date"] = message.date or fields.Datetime.now()
        if values:
            self.sudo().write(values)
        return result

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("aftersales_batch_create"):
            return True  # create() calls _message_auto_subscribe_batch instead
        return super()._message_auto_subscribe(
            updated_values, followers_existing_policy=followers_existing_policy
        )

    @api.model
    @tools.ormcache()
    def _auto_subscription_fields(self):
        """The fields of a ticket whose records' followers follow the ticket: the
        relation fields of the subtypes of other models (the team's "ticket"
        subtypes) whose parent is a subtype of tickets, as mail.thread matches
        them, and ``user_id``. Read through the ORM and cached (mail.thread clears
        the caches when a subtype changes); TestMailThreadContract checks it
        against mail.thread's own matching."""
        subtypes = (
            self.env["mail.message.subtype"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "!=", False),
                    ("res_model", "!=", self._name),
                    ("parent_id.res_model", "=", self._name),
                    ("relation_field", "!=", False),
                ],
                ["relation_field"],
            )
        )
        return tuple(sorted({"user_id", *subtypes.mapped("relation_field")}))

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        result = super()._message_auto_subscribe_followers(
            updated_values, default_subtype_ids
        )
        creator_id = self.env.context.get("aftersales_subscribe_creator_id")
        if creator_id:
            # the creator, as mail.thread's create subscribes them (the default
            # subtypes), in the same insert as the other followers
            result.append((creator_id, default_subtype_ids, False))
        return result

    def _message_auto_subscribe_batch(self, vals_list, no_notify_ids=(), creator=None):
        """What mail.thread's ``create`` does per ticket, once per group of
        tickets: subscribe the creator (a partner, ``creator``), the responsible
        user and the followers of the team (its "ticket" subtypes). The tickets of
        a batch that share the values of _auto_subscription_fields() share one
        call. The assignees of the tickets of ``no_notify_ids`` (assigned
        automatically) get no "you have been assigned" notification: the
        assignment digest tells them."""
        if self.env.context.get("tracking_disable"):
            return
        records = (
            self.with_context(aftersales_subscribe_creator_id=creator.id)
            if creator
            else self
        )
        fnames = self._auto_subscription_fields()
        defaults = self._context_defaults()
        groups = defaultdict(list)
        for ticket, vals in zip(self, vals_list, strict=True):
            values = {**defaults, **vals}
            key = tuple((f, values[f]) for f in fnames if f in values)
            groups[key, ticket.id in no_notify_ids].append(ticket.id)
        for (key, no_notify), ticket_ids in groups.items():
            tickets = records.browse(ticket_ids)
            if no_notify:
                tickets = tickets.with_context(mail_auto_subscribe_no_notify=True)
            tickets._message_auto_subscribe(
                dict(key), followers_existing_policy="update"
            )

    def _track_template(self, changes):
        result = super()._track_template(changes)
        ticket = self[0]
        template = "stage_id" in changes and ticket._aftersales_stage_template()
        if template and ticket.partner_id:
            result["stage_id"] = (
                template,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return result

    def _aftersales_stage_template(self):
        """The email template of the ticket's stage, from the cached stage order
        for an active stage (no query at a ticket's creation)."""
        self.ensure_one()
        stage = self.stage_id
        for stage_id, _teams, template_id in self.env[
            "aftersales.stage"
        ]._aftersales_stage_order():
            if stage_id == stage.id:
                return self.env["mail.template"].browse(template_id)
        return stage.template_id

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("aftersales_service.mt_ticket_stage")
        return super()._track_subtype(init_values)

    def _rating_get_parent_field_name(self):
        return "team_id"

    def _notify_get_reply_to(self, default=None):
        """Replies to ticket emails go to the team's alias when it has one; the
        mail gateway then threads them into the same ticket."""
        result = super()._notify_get_reply_to(default=default)
        for ticket in self.sudo():
            alias = ticket.team_id.alias_id
            if alias.alias_name and alias.alias_domain_id:
                result[ticket.id] = ticket._notify_get_reply_to_formatted_email(
                    alias.alias_full_name,
                    ticket.display_name,
                    company=ticket.company_id,
                )
        return result
