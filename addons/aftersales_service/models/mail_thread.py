from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """The same email delivered twice at once (same Message-Id) to a ticket
        route makes one ticket or one reply: the second delivery waits for the
        first one and is retried by Odoo, which then ignores it as a known
        Message-Id. Claimed here, before the routes run: an error raised inside
        ``message_new`` would mark the alias invalid and bounce the email."""
        if message_dict.get("message_id") and any(
            route[0] == "aftersales.ticket" for route in routes
        ):
            self.env["aftersales.idempotency.key"]._claim(
                "mail.message_id", [message_dict["message_id"]]
            )
        return super()._message_route_process(message, message_dict, routes)
