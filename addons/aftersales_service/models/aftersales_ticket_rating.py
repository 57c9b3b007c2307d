from odoo import fields, models

# ratings at or below this close the CSAT loop: a follow-up for the team manager
LOW_RATING = 2


class AftersalesTicket(models.Model):
    """The CSAT loop: a rating of 1 or 2 stars opens a follow-up activity for the
    team's manager (else the assignee) and puts the ticket on the quality
    review list (Reporting → Low Ratings)."""

    _inherit = "aftersales.ticket"

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        result = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if 0 < rate <= LOW_RATING:
            self._schedule_low_rating_follow_up()
        return result

    def _schedule_low_rating_follow_up(self):
        """One open follow-up per ticket, however often the customer rates."""
        activity_type = self.env.ref(
            "aftersales_service.mail_activity_type_low_rating",
            raise_if_not_found=False,
        )
        if not activity_type:
            return
        # sudo: the customer rating through the portal schedules it
        tickets = self.sudo()
        open_ids = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", tickets.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        values = []
        for ticket in tickets:
            user = ticket.team_id.user_id or ticket.user_id
            if ticket.id in open_ids or not user:
                continue
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                    "summary": self.env._(
                        "Low rating (%(stars)s/5) on %(ticket)s: call the customer",
                        stars=int(ticket.rating_last_value),
                        ticket=ticket.name,
                    ),
                }
            )
        if values:
            self.env["mail.activity"].sudo().create(values)
