from odoo import models
from odoo.exceptions import UserError

CHECKED_FIELDS = {"stage_id", "ticket_type_id", "cause_code_id", "remedy_code_id"}


class AftersalesTicket(models.Model):
    """The failure codes of the ticket's resolution: required on closing a
    ticket whose type asks for them (not on cancelling it)."""

    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "aftersales.failure.mixin"]

    def write(self, vals):
        if CHECKED_FIELDS & set(vals):
            self._check_failure_codes_on_closing(vals)
        return super().write(vals)

    def _check_failure_codes_on_closing(self, vals):
        """Refuse ``vals`` when they leave a ticket closed (not cancelled) whose
        type requires failure codes without a cause or a remedy."""
        stage = (
            self.env["aftersales.stage"].browse(vals["stage_id"])
            if "stage_id" in vals
            else None
        )
        ticket_type = (
            self.env["aftersales.ticket.type"].browse(vals["ticket_type_id"])
            if "ticket_type_id" in vals
            else None
        )
        missing = self.browse()
        for ticket in self:
            final_stage = ticket.stage_id if stage is None else stage
            final_type = ticket.ticket_type_id if ticket_type is None else ticket_type
            if not (
                final_stage.is_closed
                and not final_stage.is_cancelled
                and final_type.failure_codes_required
            ):
                continue
            cause = vals.get("cause_code_id", ticket.cause_code_id.id)
            remedy = vals.get("remedy_code_id", ticket.remedy_code_id.id)
            if not (cause and remedy):
                missing |= ticket
        if missing:
            raise UserError(
                self.env._(
                    "Give a cause and a remedy failure code before closing these "
                    "tickets: %(tickets)s",
                    tickets=", ".join(missing.mapped("display_name")),
                )
            )
