from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import AftersalesCase

SUBJECT = "status of your request"


@tagged("post_install", "-at_install")
class TestStaleTickets(AftersalesCase):
    """The company flags tickets after 5 days without news (see AftersalesCase)."""

    def _old_ticket(self, moment="2026-03-02 08:00:00", **values):
        """A ticket created in the past, with its creation messages dated then."""
        with freeze_time(moment):
            ticket = self._ticket(partner_id=self.customer_de.id, **values)
            self.env.cr.flush()  # tracking and the New stage email, dated now
        return ticket

    def _cron(self):
        flagged = self.env["aftersales.ticket"]._cron_stale_check()
        self.env.cr.flush()
        return flagged

    def _status_updates(self, ticket):
        return ticket.message_ids.filtered(lambda m: SUBJECT in (m.subject or ""))

    def test_quiet_ticket_flagged_and_customer_updated_once(self):
        quiet = self._old_ticket()
        with freeze_time("2026-03-07 07:00:00"):  # 4 days 23 hours later
            self.assertNotIn(quiet, self._cron())
            self.assertFalse(quiet.is_stale)
        with freeze_time("2026-03-07 09:00:00"):  # 5 days 1 hour later
            flagged = self._cron()
            self.assertIn(quiet, flagged)
            self.assertTrue(quiet.is_stale)
            self.assertEqual(quiet.stale_notified_date, datetime(2026, 3, 7, 9, 0))
            update = self._status_updates(quiet)
            self.assertEqual(len(update), 1)
            self.assertEqual(update.subject, f"{quiet.name}: {SUBJECT}")
            self.assertIn(self.customer_de, update.partner_ids)
            notification = update.notification_ids.filtered(
                lambda n: n.res_partner_id == self.customer_de
            )
            self.assertEqual(notification.notification_type, "email")
            self.assertEqual(update.date, datetime(2026, 3, 7, 9, 0))
            self.assertTrue(
                quiet.is_stale, "sending the update does not clear the flag"
            )
            # the next run right after does not send again
            self.assertNotIn(quiet, self._cron())
        with freeze_time("2026-03-07 10:00:00"):
            self.assertNotIn(quiet, self._cron())
        self.assertEqual(len(self._status_updates(quiet)), 1)
        self.assertTrue(quiet.is_stale)

    def test_recent_message_or_open_activity_not_flagged(self):
        busy = self._old_ticket()
        planned = self._old_ticket()
        quiet = self._old_ticket()
        with freeze_time("2026-03-05 08:00:00"):
            busy.message_post(body="Checked the logs", subtype_xmlid="mail.mt_note")
            planned.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.agent.id
            )
            self.env.cr.flush()
        with freeze_time("2026-03-09 08:00:00"):
            flagged = self._cron()
            self.assertFalse(self._cron(), "nothing flagged twice")
        self.assertEqual(flagged, quiet, "only the quiet ticket")
        self.assertIn(quiet, flagged)
        self.assertNotIn(busy, flagged)
        self.assertNotIn(planned, flagged)
        self.assertFalse(busy.is_stale or planned.is_stale)
        self.assertFalse(self._status_updates(busy) or self._status_updates(planned))
        with freeze_time("2026-03-11 08:00:00"):  # six days after the note
            self.assertIn(busy, self._cron())
            self.assertNotIn(planned, self._cron(), "the activity is still open")

    def test_done_activity_does_not_keep_ticket_fresh(self):
        ticket = self._old_ticket()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        activity_type.keep_done = True  # done activities are kept, archived
        with freeze_time("2026-03-02 09:00:00"):
            activity = ticket.activity_schedule(
                activity_type_id=activity_type.id, user_id=self.agent.id
            )
            activity.action_done()
            self.env.cr.flush()
        self.assertFalse(ticket.activity_ids)
        self.assertTrue(activity.exists(), "kept as a done activity")
        with freeze_time("2026-03-09 08:00:00"):
            self.assertIn(ticket, self._cron())

    def test_closed_or_archived_tickets_never_flagged(self):
        closed = self._old_ticket()
        resolved = self._old_ticket()
        archived = self._old_ticket()
        with freeze_time("2026-03-02 09:00:00"):
            closed.stage_id = self.stage_closed
            resolved.stage_id = self.stage_resolved
            archived.active = False
            self.env.cr.flush()
        with freeze_time("2026-04-30 08:00:00"):
            flagged = self._cron()
        self.assertFalse(flagged & (closed | resolved | archived))
        self.assertFalse(closed.is_stale or resolved.is_stale or archived.is_stale)
        self.assertFalse(self._status_updates(closed | resolved | archived))

    def test_ticket_without_customer_flagged_without_email(self):
        with freeze_time("2026-03-02 08:00:00"):
            ticket = self.env["aftersales.ticket"].create(
                {"subject": "Internal check", "team_id": self.team_sh.id}
            )
            self.env.cr.flush()
        with freeze_time("2026-03-09 08:00:00"):
            self.assertIn(ticket, self._cron())
        self.assertTrue(ticket.is_stale)
        self.assertFalse(self._status_updates(ticket))

    def test_delay_is_per_company(self):
        company_b = self.env["res.company"].create(
            {"name": "MedEquip Europe B.V.", "aftersales_stale_days": 10}
        )
        ticket_a = self._old_ticket()
        with freeze_time("2026-03-02 08:00:00"):
            ticket_b = self.env["aftersales.ticket"].create(
                {
                    "subject": "Europe",
                    "company_id": company_b.id,
                    "partner_id": self.customer_de.id,
                }
            )
            self.env.cr.flush()
        with freeze_time("2026-03-09 08:00:00"):  # 7 days
            flagged = self._cron()
        self.assertIn(ticket_a, flagged)
        self.assertNotIn(ticket_b, flagged)
        with freeze_time("2026-03-13 08:00:00"):  # 11 days
            self.assertIn(ticket_b, self._cron())

    def test_new_message_clears_flag(self):
        ticket = self._old_ticket()
        with freeze_time("2026-03-09 08:00:00"):
            self._cron()
            self.assertTrue(ticket.is_stale)
        with freeze_time("2026-03-09 09:00:00"):
            ticket.with_user(self.agent).message_post(
                body="The spare part has shipped",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(ticket.is_stale)
            self.assertNotIn(ticket, self._cron())
        self.assertEqual(
            ticket.stale_notified_date,
            datetime(2026, 3, 9, 8, 0),
            "clearing the flag keeps the date of the last status update",
        )

    def test_customer_email_clears_flag(self):
        ticket = self._old_ticket()
        with freeze_time("2026-03-09 08:00:00"):
            self._cron()
            self.assertTrue(ticket.is_stale)
            ticket.message_post(
                body="Any news?",
                author_id=self.customer_de.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(ticket.is_stale)

    def test_stage_change_clears_flag(self):
        ticket = self._old_ticket()
        with freeze_time("2026-03-09 08:00:00"):
            self._cron()
            self.assertTrue(ticket.is_stale)
            ticket.stage_id = self.stage_accepted
            self.assertFalse(ticket.is_stale)

    def test_flagged_again_after_another_quiet_period(self):
        ticket = self._old_ticket()
        with freeze_time("2026-03-09 08:00:00"):
            self.assertIn(ticket, self._cron())
        with freeze_time("2026-03-13 08:00:00"):  # 4 days after the update
            self.assertNotIn(ticket, self._cron())
        with freeze_time("2026-03-15 08:00:00"):  # 6 days after the update
            self.assertIn(ticket, self._cron())
        self.assertEqual(len(self._status_updates(ticket)), 2)

    def test_batch_reports_what_remains(self):
        """A run that stops at its batch size tells the cron worker how many
        tickets remain (it then calls again at once); a ticket without customer,
        which gets no status update, is not flagged again by the next run."""
        tickets = self._old_ticket() | self._old_ticket() | self._old_ticket()
        with freeze_time("2026-03-02 08:00:00"):
            internal = self.env["aftersales.ticket"].create(
                {"subject": "Internal check", "team_id": self.team_sh.id}
            )
            self.env.cr.flush()
        cron = self.env.ref("aftersales_service.ir_cron_aftersales_stale_check")
        runs = []
        with freeze_time("2026-03-09 08:00:00"):
            for _run in range(3):
                progress = self.env["ir.cron.progress"].create(
                    {"cron_id": cron.id, "done": 0, "remaining": 0}
                )
                flagged = (
                    self.env["aftersales.ticket"]
                    .with_context(ir_cron_progress_id=progress.id)
                    ._cron_stale_check(batch_size=3)
                )
                self.env.cr.flush()
                runs.append((flagged, progress.done, progress.remaining))
        self.assertEqual(runs[0][1:], (3, 1))
        self.assertEqual(runs[1][1:], (1, 0))
        self.assertEqual(runs[0][0] | runs[1][0], tickets | internal)
        self.assertEqual(runs[2][1:], (0, 0), "nothing flagged twice in a period")
        self.assertTrue(all((tickets | internal).mapped("is_stale")))
        for ticket in tickets:
            self.assertEqual(len(self._status_updates(ticket)), 1)
