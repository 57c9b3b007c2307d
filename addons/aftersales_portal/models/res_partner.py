from odoo import api, fields, models

from ..tools import mask_email, mask_phone

# a change of one of these fields changes what the contact's portal user sees
SCOPE_FIELDS = {
    "aftersales_portal_admin",
    "aftersales_role",
    "aftersales_upstream_id",
    "parent_id",
    "is_company",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_portal_admin = fields.Boolean(
        string="Portal Admin",
        help="This contact of a dealer or distributor manages its company's staff "
        "on the portal and, for a distributor, sees every dealer below it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if any(vals.get("aftersales_portal_admin") for vals in vals_list):
            self._aftersales_portal_scope_changed()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if SCOPE_FIELDS.intersection(vals):
            self._aftersales_portal_scope_changed()
        return result

    def _aftersales_portal_scope_changed(self):
        # record rules are cached per user with the values they read from the
        # user's partner (network path, admin flag): a change must reach them
        self.env.registry.clear_cache()

    def _aftersales_masked_contact(self, viewer, dealer=None):
        """Phone, mobile and email of this (end customer's) contact as ``viewer``
        (a user) may see them: masked for another dealer or a distributor when
        the customer's country asks for it."""
        self.ensure_one()
        values = {"phone": self.phone, "mobile": self.mobile, "email": self.email}
        if not self._aftersales_mask_for(viewer, dealer):
            return values
        return {
            "phone": mask_phone(self.phone),
            "mobile": mask_phone(self.mobile),
            "email": mask_email(self.email),
        }

    def _aftersales_mask_for(self, viewer, dealer=None):
        """Whether ``viewer`` sees this customer's contact masked on a document
        of ``dealer`` (the document's selling or filing dealer)."""
        self.ensure_one()
        if not viewer.share:
            return False
        viewer_company = viewer.partner_id.commercial_partner_id
        if viewer_company == self.commercial_partner_id:
            return False  # the customer themselves
        if dealer and viewer_company == dealer.commercial_partner_id:
            return False  # the dealer of the document
        country = self.country_id or self.commercial_partner_id.country_id
        if not country:
            return True
        return country.aftersales_mask_contact
