from odoo import models
from odoo.exceptions import UserError


class AftersalesStateMixin(models.AbstractModel):
    """What a document with a ``state`` selection and a ``name`` (an RMA, a part
    request) checks before each step: every record is in one of the states the
    step starts from."""

    _name = "aftersales.state.mixin"
    _description = "After-Sales Document Steps"

    def _check_state(self, states, action):
        """Raise, naming the records and the state, when one of them is not in
        ``states`` (``action``: the step's translated name)."""
        wrong = self.filtered(lambda record: record.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(records)s in state %(state)s.",
                    action=action,
                    records=", ".join(wrong.mapped("name")),
                    state=labels[wrong[0].state],
                )
            )
