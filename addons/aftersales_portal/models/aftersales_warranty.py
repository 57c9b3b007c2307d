from odoo import api, models


class AftersalesWarranty(models.Model):
    _inherit = "aftersales.warranty"

    @api.depends("lot_id", "product_id")
    def _compute_display_name(self):
        if self.env.su or not self.env.user.share:
            return super()._compute_display_name()
        # a portal user reads the registrations (record rules) but not the
        # serial numbers (stock.lot): the name of a registration they may read
        # is computed in sudo
        self.check_access("read")
        return super(AftersalesWarranty, self.sudo())._compute_display_name()

    @api.model
    def _portal_live_registration(self, lot):
        """The live (awaiting proof or active) registration of a serial, in
        sudo: the portal form says whether another dealer registered it
        without showing anything of that registration."""
        return self.sudo().search(
            [("lot_id", "=", lot.id), ("state", "in", ("draft", "active"))], limit=1
        )

    @api.model
    def _portal_register(self, vals, upload=None):
        """Register a serial from the portal with ``vals`` checked by the form
        (serial known, not registered, purchase date not in the future). sudo:
        portal users have no create right on registrations; the result is one
        they may read, checked before returning it."""
        registration_sudo = self.sudo().create(vals)
        if upload:
            name, content = upload
            proof = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": name,
                        "raw": content,
                        "res_model": self._name,
                        "res_id": registration_sudo.id,
                    }
                )
            )
            registration_sudo.proof_attachment_ids = [(4, proof.id)]
        registration = registration_sudo.with_env(self.env)
        registration.check_access("read")
        return registration
