from odoo import models


class AftersalesRma(models.Model):
    """Batched posting and the assignment digest of RMAs
    (``aftersales.batch.mail.mixin``), see _subscribe_responsibles()."""

    _name = "aftersales.rma"
    _inherit = ["aftersales.rma", "aftersales.batch.mail.mixin"]

    def _assignment_digest_subject(self):
        return self.env._("You have been assigned to %(count)s RMAs", count=len(self))

    def _assignment_digest_intro(self):
        return self.env._("You have been assigned to these RMAs:")
