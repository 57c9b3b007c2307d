import logging
from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.tools.misc import clean_context

from ..tools.cron_trigger import TRIGGER_NONE, TRIGGER_NOW, next_trigger

_logger = logging.getLogger(__name__)

# The acknowledgement cron's triggers committed by this server process, per
# database: see tools/cron_trigger.py
ACK_TRIGGER_WINDOW = 10  # seconds
_ACK_TRIGGERS = {}


class AftersalesTicket(models.Model):
    """The acknowledgement email of new tickets: queued at creation, sent by
    a cron right after the commit, batched per template and language."""

    _inherit = "aftersales.ticket"

    # indexed by a partial index (WHERE ack_pending), see init()
    ack_pending = fields.Boolean(
        string="Acknowledgement Pending",
        readonly=True,
        copy=False,
        help="The customer's acknowledgement email of this new ticket waits in the "
        "queue; the cron After-Sales: send ticket acknowledgements sends it right "
        "after the ticket is saved.",
    )

    def init(self):
        res = super().init()
        # the acknowledgement queue: only the few pending tickets are indexed
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_ack_pending_index",
            self._table,
            ["id"],
            where="ack_pending",
        )
        return res

    def write(self, vals):
        if "stage_id" in vals:
            # a ticket leaving its first stage before the queue acknowledged it:
            # the customer gets the acknowledgement first, then the new stage's email
            waiting = self.filtered("ack_pending")
            if waiting:
                waiting._claim_acknowledgements()._post_acknowledgements()
        return super().write(vals)

    def _plan_creation_templates(self, vals_list):
        """The stage email of new tickets, which mail.thread would schedule as
        its own precommit call per ticket (one composer, rendering and flush per
        ticket): create() asks mail.thread not to (``mail_notrack``, its
        documented context key) and calls this instead, before the insert, with
        the values. By default the tickets are queued: ``ack_pending`` is put in
        their values (the flag is in the ticket's insert, not in a query of its
        own) and the acknowledgement cron sends their emails right after the
        commit (see _cron_send_acknowledgements()); for a company that sends
        acknowledgements right away, one precommit call for the batch, see
        _schedule_creation_templates(). Returns ``{index in vals_list: tracked
        fields whose emails are posted in this transaction}``.
        """
        if self.env.context.get("tracking_disable") or self.env.context.get(
            "mail_notrack"
        ):
            return {}
        changes = self._creation_changes(vals_list)
        if not changes:
            return {}
        defaults = self._context_defaults()
        now = {}
        for index, changed in changes.items():
            values = {**defaults, **vals_list[index]}
            company = self.env["res.company"].browse(
                values.get("company_id") or self.env.company.id
            )
            if company.aftersales_ack_immediate:
                now[index] = changed
                continue
            # the templates of the ticket as it will be inserted (a new record
            # of its values: mail.thread's hook, and any override of it, decide)
            templates = self.new(values)._track_template(changed)
            if templates.get("stage_id", (False,))[0]:
                # the creation stage's email: the acknowledgement, queued
                vals_list[index]["ack_pending"] = True
            # another field's email (none in this addon) is not queued
            if any(
                template
                for fname, (template, _kw) in templates.items()
                if fname != "stage_id"
            ):
                now[index] = [f for f in changed if f != "stage_id"]
        return now

    def _schedule_creation_templates(self, now):
        """After the insert of these new tickets: the acknowledgement cron
        triggered when one of them is queued, and the emails of ``now``
        (``{index in self: tracked fields}``, see _plan_creation_templates())
        posted in this transaction's precommit."""
        if any(self.mapped("ack_pending")):
            self._trigger_acknowledgements()
        if now:
            # one precommit call per environment (user, context) that created tickets
            pending = self.env.cr.precommit.data.setdefault(
                self._creation_templates_key(), {}
            )
            pending.update({self.ids[index]: fields for index, fields in now.items()})
            self.env.cr.precommit.add(self.browse()._post_creation_templates)

    def _creation_changes(self, vals_list):
        """``{index in vals_list: tracked fields set at creation}``, as mail.thread's
        ``create`` computes them (the values and the context's ``default_*``, a
        falsy value being no change) to post the tracking templates."""
        fnames = self._track_get_fields()
        defaults = self._context_defaults()
        changes = {}
        for index, vals in enumerate(vals_list):
            values = {**defaults, **vals}
            changed = [fname for fname in fnames if values.get(fname)]
            if changed:
                changes[index] = changed
        return changes

    def _trigger_acknowledgements(self):
        """Run the acknowledgement cron soon after the commit, once per
        transaction however many creations it has, and at most twice per
        ACK_TRIGGER_WINDOW seconds per server process however many transactions
        it commits (see _ack_trigger_at())."""
        data = self.env.cr.precommit.data
        key = f"aftersales.ack.trigger.{self._name}"
        if data.get(key):
            return
        data[key] = True

        def trigger():
            data.pop(key, None)
            dbname = self.env.cr.dbname
            kind, at = next_trigger(
                _ACK_TRIGGERS.get(dbname, {}),
                fields.Datetime.now(),
                window=ACK_TRIGGER_WINDOW,
            )
            if kind == TRIGGER_NONE:
                return
            # the id is cached by ir.model.data (no query, unlike env.ref's check)
            cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
                "aftersales_service.ir_cron_aftersales_send_acknowledgements",
                raise_if_not_found=False,
            )
            if not cron_id:
                return
            self.env["ir.cron"].sudo().browse(cron_id)._trigger(at)
            # remembered once committed: a rolled back trigger covers nothing
            if kind == TRIGGER_NOW:
                update = {"immediate": fields.Datetime.now()}
            else:
                update = {"deferred": at}
            self.env.cr.postcommit.add(
                lambda: _ACK_TRIGGERS.setdefault(dbname, {}).update(update)
            )

        self.env.cr.precommit.add(trigger)

    def _creation_templates_key(self):
        env = self.env
        return (
            f"aftersales.creation.templates.{self._name}",
            env.uid,
            env.su,
            repr(sorted(env.context.items())),
        )

    def _post_creation_templates(self):
        """Post the stage emails of the tickets created in this transaction that
        are not queued: those of companies that send acknowledgements right away."""
        pending = self.env.cr.precommit.data.pop(self._creation_templates_key(), {})
        tickets = self.browse(list(pending)).exists()
        if not tickets:
            return
        # as mail.thread's _message_track_post_template: no residual default_*
        # (the context is replaced on purpose: keyword arguments would keep them)
        tickets = tickets.with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        tickets._post_stage_templates(pending)
        self.env.flush_all()

    def _post_stage_templates(self, changes):
        """Post the stage emails of new tickets (``changes``: ``{ticket id: changed
        fields}``): one mail composer per template in comment mode over all its
        tickets, which renders subject and body per customer language in one go and
        then posts one message per ticket (one email to its customer)."""
        tickets = self._fallback_lang()
        groups = defaultdict(list)
        for ticket in tickets:
            templates = ticket._track_template(changes[ticket.id])
            for template, post_kwargs in templates.values():
                if template:
                    groups[template, repr(sorted(post_kwargs.items()))].append(
                        (ticket, post_kwargs)
                    )
        for (template, _key), items in groups.items():
            group = tickets.browse([ticket.id for ticket, _kwargs in items])
            post_kwargs = dict(items[0][1])
            post_kwargs.pop("composition_mode", None)
            post_kwargs.setdefault("message_type", "auto_comment")
            group._post_template_batch(template, **post_kwargs)

    @api.model
    def _cron_send_acknowledgements(self, batch_size=200):
        """Send the acknowledgement emails of new tickets, a batch per run.

        The batch is taken off the queue in SQL (``UPDATE ... SET ack_pending =
        false ... FOR UPDATE SKIP LOCKED RETURNING id``) before posting: two
        overlapping runs never acknowledge the same ticket twice, and a run that
        fails leaves its tickets in the queue (its transaction rolls back).
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE aftersales_ticket
               SET ack_pending = false
             WHERE id IN (SELECT id
                            FROM aftersales_ticket
                           WHERE ack_pending
                        ORDER BY id
                           LIMIT %s
                             FOR UPDATE SKIP LOCKED)
         RETURNING id
            """,
            [batch_size],
        )
        tickets = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        tickets.invalidate_recordset(["ack_pending"])
        try:
            with self.env.cr.savepoint():
                tickets._post_acknowledgements()
        except Exception:  # noqa: BLE001 - one bad ticket must not block the queue
            tickets._post_acknowledgements_one_by_one()
        remaining = 0
        if len(tickets) == batch_size:
            self.env.cr.execute(
                "SELECT count(*) FROM aftersales_ticket WHERE ack_pending"
            )
            remaining = self.env.cr.fetchone()[0]
        # the engineers' assignment digests share the queue's cron and its trigger
        digested, digests_remaining = self._send_assignment_digests(batch_size)
        self.env["ir.cron"]._notify_progress(
            done=len(tickets) + digested, remaining=remaining + digests_remaining
        )
        return tickets

    def _post_acknowledgements_one_by_one(self):
        """Post each acknowledgement on its own, after a batch failed: the others
        still go out; a ticket whose email cannot be made leaves the queue with a
        note on its chatter instead of blocking every later run."""
        for ticket in self:
            try:
                with self.env.cr.savepoint():
                    ticket._post_acknowledgements()
            except Exception as error:  # noqa: BLE001 - logged on the ticket
                _logger.warning(
                    "Acknowledgement of ticket %s not sent: %s", ticket.name, error
                )
                ticket.sudo()._message_log(
                    body=self.env._(
                        "The acknowledgement email could not be sent: %s", str(error)
                    )
                )

    def _claim_acknowledgements(self):
        """Take these tickets off the acknowledgement queue; return those that were
        in it (and are now this transaction's to acknowledge)."""
        self.flush_recordset(["ack_pending"])
        self.env.cr.execute(
            """
            UPDATE aftersales_ticket
               SET ack_pending = false
             WHERE id = ANY(%s) AND ack_pending
         RETURNING id
            """,
            [self.ids],
        )
        claimed = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        self.invalidate_recordset(["ack_pending"])
        return claimed

    def _post_acknowledgements(self):
        """Post the acknowledgement (the creation stage's email) of tickets taken
        off the queue, as their creator, batched per creator and company."""
        groups = defaultdict(list)
        for ticket in self.sudo():
            groups[ticket.create_uid, ticket.company_id].append(ticket.id)
        context = clean_context(self.env.context)
        for (creator, company), ticket_ids in groups.items():
            tickets = self.with_context(context)  # pylint: disable=context-overridden
            if creator:
                tickets = tickets.with_user(creator)
            tickets = tickets.sudo().with_company(company).browse(ticket_ids)
            tickets._post_stage_templates({tid: ["stage_id"] for tid in ticket_ids})
        self.env.flush_all()
