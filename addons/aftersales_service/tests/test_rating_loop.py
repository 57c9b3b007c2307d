from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestRatingLoop(AftersalesCase):
    """A rating of 1-2 stars opens one follow-up for the team's manager and puts
    the ticket on the quality review list."""

    def _rate(self, ticket, rate):
        token = ticket._rating_get_access_token()
        ticket.rating_apply(rate, token=token)

    def _follow_ups(self, ticket):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "aftersales.ticket"),
                ("res_id", "=", ticket.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("aftersales_service.mail_activity_type_low_rating").id,
                ),
            ]
        )

    def test_low_rating_opens_one_follow_up_for_the_team_manager(self):
        low, good = self._ticket(), self._ticket()
        self._rate(low, 2)
        self._rate(good, 4)
        follow_up = self._follow_ups(low)
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.user_id, self.team_sh.user_id)
        self.assertIn("2/5", follow_up.summary)
        self.assertFalse(self._follow_ups(good))
        # rated again (e.g. the feedback added): still one follow-up
        self._rate(low, 1)
        self.assertEqual(len(self._follow_ups(low)), 1)
        # the quality review list
        action = self.env.ref("aftersales_service.aftersales_ticket_action_low_rating")
        listed = self.env["aftersales.ticket"].search(safe_eval(action.domain))
        self.assertIn(low, listed)
        self.assertNotIn(good, listed)

    def test_without_team_manager_the_assignee(self):
        self.team_sh.user_id = False
        ticket = self._ticket(user_id=self.agent.id)
        self._rate(ticket, 1)
        self.assertEqual(self._follow_ups(ticket).user_id, self.agent)
