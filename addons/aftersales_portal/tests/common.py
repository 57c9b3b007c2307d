import base64

from odoo import Command
from odoo.tests import new_test_user

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
)


class PortalNetworkMixin:
    """A brand with a two-level network and one document of each kind per dealer:

    Asia Top (distributor) > Euro Sub (distributor) > Elbe Dealer, Spree Dealer
    Andes Top (distributor) > Santiago Dealer
    End customers: Altona Clinic (Elbe's), Charité Lab (Spree's), Maipú Clinic.
    """

    @classmethod
    def _setup_network(cls):
        env = cls.env
        cls.company = env.company
        cls.other_company = env["res.company"].create({"name": "Other Brand Ltd."})
        Partner = env["res.partner"]
        de = env.ref("base.de")
        cls.top = Partner.create(
            {"name": "Asia Top", "is_company": True, "aftersales_role": "distributor"}
        )
        cls.sub = Partner.create(
            {
                "name": "Euro Sub",
                "is_company": True,
                "aftersales_role": "distributor",
                "aftersales_upstream_id": cls.top.id,
            }
        )
        cls.dealer = Partner.create(
            {
                "name": "Elbe Dealer",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.sub.id,
                "country_id": de.id,
            }
        )
        cls.sibling = Partner.create(
            {
                "name": "Spree Dealer",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.sub.id,
            }
        )
        cls.other_top = Partner.create(
            {"name": "Andes Top", "is_company": True, "aftersales_role": "distributor"}
        )
        cls.other_dealer = Partner.create(
            {
                "name": "Santiago Dealer",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.other_top.id,
            }
        )
        cls.customer = Partner.create(
            {
                "name": "Altona Clinic",
                "is_company": True,
                "country_id": de.id,
                "phone": "+49 151 23454567",
                "email": "technik@altona.example.com",
            }
        )
        cls.customer_sibling = Partner.create(
            {"name": "Charité Lab", "is_company": True, "country_id": de.id}
        )
        cls.customer_other = Partner.create(
            {"name": "Maipú Clinic", "is_company": True}
        )

        def portal_user(login, company, admin=False):
            contact = Partner.create(
                {
                    "name": login.replace("_", " ").title(),
                    "parent_id": company.id,
                    "email": f"{login}@example.com",
                    "aftersales_portal_admin": admin,
                }
            )
            return new_test_user(
                env,
                login=login,
                password=login,
                email=contact.email,
                groups="base.group_portal",
                partner_id=contact.id,
                context={"no_reset_password": True},
            )

        cls.user_distributor = portal_user("p_distributor", cls.top, admin=True)
        cls.user_dealer_admin = portal_user("p_dealer_admin", cls.dealer, admin=True)
        cls.user_staff = portal_user("p_staff", cls.dealer)
        cls.user_sibling = portal_user("p_sibling", cls.sibling)
        cls.user_other_dealer = portal_user("p_other_dealer", cls.other_dealer)
        cls.user_customer = portal_user("p_customer", cls.customer)
        cls.user_service = new_test_user(
            env,
            login="p_service",
            groups="aftersales_service.aftersales_group_manager",
        )
        cls.user_other_company = new_test_user(
            env,
            login="p_other_company",
            groups="aftersales_service.aftersales_group_manager",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.user_public = env.ref("base.public_user")

        cls.product = env["product.product"].create(
            {
                "name": "Portal Scanner",
                "default_code": "PS-1",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.docs = {}
        for key, dealer, customer in (
            ("dealer", cls.dealer, cls.customer),
            ("sibling", cls.sibling, cls.customer_sibling),
            ("other", cls.other_dealer, cls.customer_other),
        ):
            cls.docs[key] = cls._documents(key, dealer, customer)

    @classmethod
    def _documents(cls, key, dealer, customer):
        env = cls.env
        lot = env["stock.lot"].create(
            {"name": f"PS-{key.upper()}-1", "product_id": cls.product.id}
        )
        warranty = env["aftersales.warranty"].create(
            {"lot_id": lot.id, "partner_id": customer.id, "dealer_id": dealer.id}
        )
        ticket = env["aftersales.ticket"].create(
            {
                "subject": f"Screen flickers ({key})",
                "partner_id": customer.id,
                "dealer_id": dealer.id,
                "product_id": cls.product.id,
                "lot_id": lot.id,
                "channel": "dealer",
            }
        )
        rma = env["aftersales.rma"].create(
            {
                "partner_id": customer.id,
                "ticket_id": ticket.id,
                "line_ids": [
                    Command.create(
                        {"product_id": cls.product.id, "lot_id": lot.id, "quantity": 1}
                    )
                ],
            }
        )
        shipment = env["aftersales.shipment"].create(
            {
                "rma_id": rma.id,
                "direction": "customer_to_hub",
                "tracking_ref": f"TRK{key.upper()}",
            }
        )
        event = env["aftersales.shipment.event"].create(
            {
                "shipment_id": shipment.id,
                "status": "in_transit",
                "description": "Departed",
            }
        )
        message = ticket.message_post(
            body=f"Photo of the fault ({key})",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[(f"fault-{key}.png", base64.b64decode(PNG))],
        )
        return {
            "aftersales.ticket": ticket,
            "aftersales.warranty": warranty,
            "aftersales.rma": rma,
            "aftersales.rma.line": rma.line_ids,
            "aftersales.shipment": shipment,
            "aftersales.shipment.event": event,
            "mail.message": message,
            "ir.attachment": message.attachment_ids,
        }

    def _docs_of(self, keys, model):
        records = self.env[model]
        for key in keys:
            records |= self.docs[key][model]
        return records
