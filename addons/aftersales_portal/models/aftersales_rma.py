from odoo import models


class AftersalesRma(models.Model):
    _inherit = "aftersales.rma"

    def _portal_submit_request(self, note, user):
        """What a portal request does to the RMA it created (in sudo, ``self``):
        ``user`` follows it, their note is its first message, it is submitted
        (the template may approve it at once); returned as ``user`` sees it,
        its access checked."""
        self.ensure_one()
        self.message_subscribe(partner_ids=user.partner_id.ids)
        if note:
            self.message_post(
                body=note,
                author_id=user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.action_submit()
        rma = self.with_user(user)
        rma.check_access("read")
        return rma
