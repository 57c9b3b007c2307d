from collections import defaultdict

from markupsafe import Markup

from odoo import models


class AftersalesBatchMailMixin(models.AbstractModel):
    """Posting for many records at once, shared by tickets and RMAs: one mail
    composer for a template over a whole batch, and one assignment digest per
    responsible instead of one notification per record. For models inheriting
    ``mail.thread``."""

    _name = "aftersales.batch.mail.mixin"
    _description = "After-Sales Batched Posting"

    def _post_template_batch(
        self,
        template,
        subtype_xmlid=False,
        subtype_id=False,
        message_type="notification",
        **kwargs,
    ):
        """``message_post_with_source(template)`` for many records with a single
        comment-mode composer (mail.thread makes one composer per record): the
        subject and body are rendered per language in one go, then one message is
        posted per record. Same arguments and defaults as
        ``message_post_with_source``."""
        if not self:
            return self.env["mail.message"]
        if subtype_xmlid:
            subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(subtype_xmlid)
        if not subtype_id:
            subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        if len(self) == 1:
            return self.message_post_with_source(
                template, message_type=message_type, subtype_id=subtype_id, **kwargs
            )
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create({"message_type": message_type, "subtype_id": subtype_id, **kwargs})
        )
        # what the composer's comment mode does (a batch composer does not
        # subscribe the author), with the reply-to addresses of the whole batch
        # computed at once instead of by each message_post
        post_values_all = composer._prepare_mail_values(self.ids)
        reply_to = self._post_batch_reply_to(post_values_all)
        records = self.with_context(mail_create_nosubscribe=True)
        messages = self.env["mail.message"]
        for record in records:
            values = post_values_all[record.id]
            if "reply_to" not in values:
                values["reply_to"] = reply_to[record.id]
            messages += record.message_post(**values)
        return messages

    def _post_batch_reply_to(self, post_values_all):
        """``{record id: reply-to}`` for posting ``post_values_all`` (``{record
        id: message_post values}``): the value message_post computes for each
        message (the records' reply-to with the author's address as default),
        once per author and sender of the batch."""
        groups = defaultdict(list)
        for record_id, values in post_values_all.items():
            if "reply_to" not in values:
                key = (values.get("author_id"), values.get("email_from"))
                groups[key].append(record_id)
        result = {}
        for (author_id, email_from), record_ids in groups.items():
            records = self.browse(record_ids)._fallback_lang()
            _author_id, email_from = records._message_compute_author(
                author_id, email_from, raise_on_email=True
            )
            result.update(records._notify_get_reply_to(default=email_from))
        return result

    # ------------------------------------------------------------------
    # Assignment digest
    # ------------------------------------------------------------------

    def _assignment_digest_subject(self):
        """Subject of the digest telling someone these records are theirs (each
        model says it in its own words)."""
        return self.env._("%(count)s record(s) assigned to you", count=len(self))

    def _assignment_digest_intro(self):
        """First line of the digest, above the list of records."""
        return self.env._("These records were assigned to you:")

    def _assignment_digest_item(self):
        """One line of the digest: a link to the record."""
        self.ensure_one()
        return Markup('<li><a href="%s">%s</a></li>') % (
            self._notify_get_action_link("view"),
            self.display_name,
        )

    def _assignment_digest_post(self, partner, subject, body):
        """Send the digest; by default a notification attached to no record."""
        return self.env["mail.thread"].message_notify(
            subject=subject, body=body, partner_ids=partner.ids
        )

    def _notify_assignment_digest(self, partner):
        """Tell ``partner``, in one notification, that these records were assigned
        to them (with a link to each), instead of one notification per record."""
        if not self or not partner:
            return self.env["mail.message"]
        if self.env.context.get("mail_auto_subscribe_no_notify"):
            return self.env["mail.message"]
        if not self.env.registry.ready:  # no notification during the install
            return self.env["mail.message"]
        items = Markup().join(record._assignment_digest_item() for record in self)
        body = Markup("<p>%s</p><ul>%s</ul>") % (self._assignment_digest_intro(), items)
        body = self.env["mail.render.mixin"]._replace_local_links(body)
        return self._assignment_digest_post(
            partner, self._assignment_digest_subject(), body
        )
