"""18.0.1.3.0: the service tier is a commercial field of res.partner: a
contact carries its company's tier, which a ticket reads from the contact
(no read of the company at a ticket's creation). Odoo keeps it in sync from
now on; copy the companies' tiers to their existing contacts here."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """
            UPDATE res_partner contact
               SET aftersales_tier = company.aftersales_tier
              FROM res_partner company
             WHERE company.id = contact.commercial_partner_id
               AND contact.id != company.id
               AND contact.aftersales_tier IS DISTINCT FROM company.aftersales_tier
            """
        )
    )
