from odoo import SUPERUSER_ID, Command, api, models
from odoo.exceptions import AccessError, UserError


class AftersalesClaim(models.Model):
    """Dealer warranty claims on the portal: filed by the dealer's staff, read
    through the record rules of ``base.group_portal`` (the claim's dealer on the
    user's network path), created and corrected in sudo after the checks."""

    _name = "aftersales.claim"
    _inherit = ["aftersales.claim", "portal.mixin"]

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for claim in self:
            claim.access_url = f"/my/claims/{claim.id}"
        return result

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    @api.model
    def _portal_can_file(self):
        """Dealer and distributor contacts file claims, end customers do not."""
        return self.env.user.aftersales_portal_scope != "customer"

    @api.model
    def _portal_dealer(self):
        return self.env.user.partner_id.commercial_partner_id

    @api.model
    def _portal_tickets(self):
        """The tickets of the user's own company as dealer, searched as the
        user (record rules), offered as a claim's ticket."""
        Ticket = self.env["aftersales.ticket"]
        if not self._portal_can_file() or not Ticket.has_access("read"):
            return Ticket
        return Ticket.search([("dealer_id", "=", self._portal_dealer().id)], limit=200)

    def _portal_can_edit(self):
        """A returned claim of the user's own company can be corrected and
        submitted again, and so can a draft (one whose submission failed, or
        prepared by the brand for the dealer)."""
        self.ensure_one()
        return (
            self._portal_can_file()
            and self.state in ("draft", "returned")
            and self.dealer_id == self._portal_dealer()
        )

    @api.model
    def _portal_create_claim(self, vals, line_vals_list, uploads=()):
        """Create the claim of a portal form (``vals`` and lines checked by the
        controller) as a draft, attach the uploads and submit it through
        ``action_submit`` so that the submission checks run. Returns the claim
        in the user's environment."""
        if not self._portal_can_file():
            raise AccessError(self.env._("Only dealers file warranty claims."))
        user = self.env.user
        vals = dict(
            vals,
            dealer_id=self._portal_dealer().id,
            company_id=self.env.company.id,
            line_ids=[Command.create(line) for line in line_vals_list],
        )
        # sudo: portal users have no create right on claims; the dealer is the
        # user's own company and the values were checked by the portal form
        claim_sudo = self.sudo().create(vals)
        claim_sudo.message_subscribe(partner_ids=user.partner_id.ids)
        claim_sudo._portal_post_uploads(uploads)
        claim = claim_sudo.with_env(self.env)
        claim.check_access("read")
        claim._portal_submit()
        return claim

    def _portal_update_claim(self, vals, line_vals_list, uploads=()):
        """Correct a returned claim (its values and lines replaced by those of
        the form) and submit it again."""
        self.ensure_one()
        self.check_access("read")
        if not self._portal_can_edit():
            raise AccessError(self.env._("This claim cannot be changed now."))
        # sudo: read access checked above, the claim is the user's company's
        # and was sent back to it; portal users have no write right on claims
        claim_sudo = self.sudo()
        claim_sudo.line_ids.unlink()
        claim_sudo.write(
            dict(vals, line_ids=[Command.create(line) for line in line_vals_list])
        )
        claim_sudo._portal_post_uploads(uploads)
        self._portal_submit()
        return self

    def _portal_post_uploads(self, uploads):
        if not uploads:
            return
        self.message_post(
            body=self.env._("Photos and invoices of the claim"),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=list(uploads),
        )

    def _portal_submit(self):
        """Submit through the model's own action (its checks and findings).
        A ``UserError`` of the checks leaves the claim as it is (draft or
        returned) and is returned as text for the page."""
        self.check_access("read")
        try:
            with self.env.cr.savepoint():
                # superuser: the claim is the user's company's (read checked
                # above); submitting needs write rights portal users do not
                # have, and an automatic approval must not name the portal
                # user as the claim's adjudicator
                self.with_user(SUPERUSER_ID).action_submit()
        except UserError as error:
            return str(error)
        return None
