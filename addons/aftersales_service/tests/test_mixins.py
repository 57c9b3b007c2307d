from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestMixinDefaults(AftersalesCase):
    """What the mixins give a model that does not say it in its own words (the
    ticket and the RMA override these; another model may not)."""

    def test_default_stale_candidates_are_unchanged_for_a_week(self):
        Ticket = self.env["aftersales.ticket"]
        tickets = Ticket.create(
            [{"subject": f"Quiet {i}", "team_id": self.team_sh.id} for i in range(3)]
        )
        fresh = Ticket.create({"subject": "Fresh", "team_id": self.team_sh.id})
        self.env.flush_all()
        now = datetime.now()
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET write_date = %s WHERE id = ANY(%s)",
            [now - timedelta(days=8), tickets.ids],
        )
        tickets.invalidate_recordset(["write_date"])
        default = self.env.registry["aftersales.stale.mixin"]._stale_candidates
        quiet = Ticket.search([("id", "in", (tickets | fresh).ids)])
        records, remaining = default(quiet.browse(), now, 2)
        self.assertEqual(len(records), 2)
        self.assertNotIn(fresh, records)
        self.assertGreaterEqual(remaining, 1, "the third quiet ticket remains")
        everything, rest = default(quiet.browse(), now, 0)  # no limit
        self.assertEqual(everything & (tickets | fresh), tickets)
        self.assertEqual(rest, 0)
        tickets.write({"is_stale": True})
        flagged, _rest = default(quiet.browse(), now, 0)
        self.assertFalse(flagged & tickets, "a flagged record is no candidate")

    def test_default_digest_wording(self):
        tickets = self.env["aftersales.ticket"].create(
            [{"subject": f"Call {i}", "team_id": self.team_sh.id} for i in range(2)]
        )
        mixin = self.env.registry["aftersales.batch.mail.mixin"]
        self.assertEqual(
            mixin._assignment_digest_subject(tickets), "2 record(s) assigned to you"
        )
        self.assertEqual(
            mixin._assignment_digest_intro(tickets),
            "These records were assigned to you:",
        )
