import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PortalNetworkMixin

MODELS = (
    "aftersales.ticket",
    "aftersales.warranty",
    "aftersales.rma",
    "aftersales.rma.line",
    "aftersales.shipment",
    "aftersales.shipment.event",
    "mail.message",
)
# the documents (by dealer) each user may open
MATRIX = {
    "user_service": ("dealer", "sibling", "other"),
    "user_distributor": ("dealer", "sibling"),
    "user_dealer_admin": ("dealer",),
    "user_staff": ("dealer",),
    "user_sibling": ("sibling",),
    "user_other_dealer": ("other",),
    "user_customer": ("dealer",),
    "user_other_company": (),
    "user_public": (),
}
ALL = ("dealer", "sibling", "other")


@tagged("post_install", "-at_install")
class TestPortalAccessMatrix(PortalNetworkMixin, TransactionCase):
    """Every user of the network against every document type: each forbidden
    pair is a read that must fail and a search that must not find it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def _search(self, user, model, records):
        Model = self.env[model].with_user(user)
        try:
            return Model.search([("id", "in", records.ids)])
        except AccessError:
            return Model.browse()

    def test_scopes(self):
        self.assertEqual(
            self.user_distributor.aftersales_portal_scope, "distributor_admin"
        )
        self.assertEqual(self.user_dealer_admin.aftersales_portal_scope, "dealer_admin")
        self.assertEqual(self.user_staff.aftersales_portal_scope, "staff")
        self.assertEqual(self.user_customer.aftersales_portal_scope, "customer")
        self.assertEqual(
            self.user_distributor.aftersales_portal_network_path,
            f"{self.top.aftersales_path}%",
        )
        self.assertEqual(
            self.user_staff.aftersales_portal_network_path, self.dealer.aftersales_path
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_matrix(self):
        for user_key, allowed in MATRIX.items():
            user = getattr(self, user_key)
            for model in MODELS:
                every = self._docs_of(ALL, model)
                expected = self._docs_of(allowed, model)
                with self.subTest(user=user_key, model=model):
                    found = self._search(user, model, every)
                    self.assertEqual(found, expected.with_user(user))
                    for key in ALL:
                        record = self.docs[key][model].with_user(user)
                        if key in allowed:
                            record.check_access("read")
                            continue
                        with self.assertRaises(AccessError, msg=f"{key} leaks"):
                            record.check_access("read")
                            record.read(["display_name"])

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_counts_agree_with_searches(self):
        for user_key in ("user_distributor", "user_staff", "user_customer"):
            user = getattr(self, user_key)
            for model in ("aftersales.ticket", "aftersales.rma", "aftersales.warranty"):
                Model = self.env[model].with_user(user)
                with self.subTest(user=user_key, model=model):
                    expected = self._docs_of(MATRIX[user_key], model)
                    domain = [("id", "in", self._docs_of(ALL, model).ids)]
                    self.assertEqual(Model.search_count(domain), len(expected))
                    groups = Model.read_group(domain, ["company_id"], ["company_id"])
                    total = sum(group["company_id_count"] for group in groups)
                    self.assertEqual(total, len(expected))

    def test_portal_users_cannot_write(self):
        ticket = self.docs["dealer"]["aftersales.ticket"]
        for user in (self.user_distributor, self.user_dealer_admin, self.user_customer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ticket.with_user(user).write({"subject": "Changed"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["aftersales.ticket"].with_user(user).create(
                    {"subject": "Direct", "partner_id": self.customer.id}
                )

    def test_internal_note_stays_internal(self):
        ticket = self.docs["dealer"]["aftersales.ticket"]
        note = ticket.message_post(
            body="Internal diagnosis", subtype_xmlid="mail.mt_note"
        )
        Message = self.env["mail.message"].with_user(self.user_staff)
        self.assertFalse(Message.search([("id", "=", note.id)]))

    def test_scope_follows_admin_flag_and_network_moves(self):
        """Record rules are cached per user: making a contact admin or moving a
        dealer to another distributor changes what is visible at once."""
        contact = self.env["res.partner"].create(
            {"name": "Sub Staff", "parent_id": self.sub.id}
        )
        user = new_test_user(
            self.env,
            login="p_sub_staff",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        Ticket = self.env["aftersales.ticket"].with_user(user)
        every = self._docs_of(ALL, "aftersales.ticket")
        self.assertFalse(Ticket.search([("id", "in", every.ids)]))
        contact.aftersales_portal_admin = True
        self.assertEqual(
            Ticket.search([("id", "in", every.ids)]),
            self._docs_of(("dealer", "sibling"), "aftersales.ticket").with_user(user),
        )
        self.sibling.aftersales_upstream_id = self.other_top
        self.assertEqual(
            Ticket.search([("id", "in", every.ids)]),
            self._docs_of(("dealer",), "aftersales.ticket").with_user(user),
        )
        distributor = self.env["aftersales.ticket"].with_user(self.user_distributor)
        self.assertEqual(
            distributor.search([("id", "in", every.ids)]),
            self._docs_of(("dealer",), "aftersales.ticket").with_user(
                self.user_distributor
            ),
        )


@tagged("post_install", "-at_install")
class TestPortalAccessRpc(PortalNetworkMixin, HttpCase):
    """The same rules over XML-RPC and JSON-RPC, as a dealer's integration
    would use them with the portal user's own login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def _xmlrpc(self, login, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, login, {})
        self.assertTrue(uid, f"{login} cannot log in")
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, login, model, method, list(args), kwargs
        )

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_xmlrpc_dealer_staff(self):
        for model in MODELS[:6]:
            with self.subTest(model=model):
                every = self._docs_of(ALL, model)
                found = self._xmlrpc(
                    "p_staff", model, "search", [("id", "in", every.ids)]
                )
                self.assertEqual(found, self.docs["dealer"][model].ids)
                [values] = self._xmlrpc(
                    "p_staff", model, "read", found, fields=["display_name"]
                )
                self.assertTrue(values["display_name"])
                for key in ("sibling", "other"):
                    with self.assertRaises(
                        xmlrpc.client.Fault, msg=f"{model} {key} leaks"
                    ):
                        self._xmlrpc(
                            "p_staff",
                            model,
                            "read",
                            self.docs[key][model].ids,
                            fields=["display_name"],
                        )
        count = self._xmlrpc(
            "p_staff",
            "aftersales.ticket",
            "search_count",
            [("id", "in", self._docs_of(ALL, "aftersales.ticket").ids)],
        )
        self.assertEqual(count, 1)

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_xmlrpc_customer_email_is_for_internal_users(self):
        """A distributor or dealer reads its tickets over XML-RPC, but not the
        customer's email typed on them (the portal pages show it masked)."""
        ticket = self.docs["dealer"]["aftersales.ticket"]
        ticket.sudo().email_from = "anna.schmidt@clinic.de"
        for login in ("p_distributor", "p_staff"):
            with self.subTest(login=login):
                [values] = self._xmlrpc(
                    login, "aftersales.ticket", "read", ticket.ids, fields=["name"]
                )
                self.assertEqual(values["name"], ticket.name)
                with self.assertRaises(xmlrpc.client.Fault):
                    self._xmlrpc(
                        login,
                        "aftersales.ticket",
                        "read",
                        ticket.ids,
                        fields=["email_from"],
                    )
                # nor among all fields
                [values] = self._xmlrpc(login, "aftersales.ticket", "read", ticket.ids)
                self.assertNotIn("email_from", values)
        # the brand's service user reads it
        [values] = self._xmlrpc(
            "p_service", "aftersales.ticket", "read", ticket.ids, fields=["email_from"]
        )
        self.assertEqual(values["email_from"], "anna.schmidt@clinic.de")

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_xmlrpc_distributor_messages_and_attachments(self):
        every = self._docs_of(ALL, "mail.message")
        found = self._xmlrpc(
            "p_distributor", "mail.message", "search", [("id", "in", every.ids)]
        )
        self.assertEqual(
            sorted(found),
            sorted(self._docs_of(("dealer", "sibling"), "mail.message").ids),
        )
        attachment = self.docs["other"]["ir.attachment"]
        with self.assertRaises(xmlrpc.client.Fault):
            self._xmlrpc(
                "p_distributor",
                "ir.attachment",
                "read",
                attachment.ids,
                fields=["datas"],
            )

    def _chatter(self, ticket, **params):
        return self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": ticket._name, "thread_id": ticket.id, **params},
        )

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_attachments(self):
        """Portal users have no ORM right on ir.attachment (Odoo's portal ACL):
        they download a document's files through its chatter, which hands out
        the attachments' tokens only for a document they may read."""
        own = self.docs["dealer"]["aftersales.ticket"]
        foreign = self.docs["other"]["aftersales.ticket"]
        foreign_file = self.docs["other"]["ir.attachment"]
        for user_key in ("user_staff", "user_distributor", "user_customer"):
            with self.assertRaises(AccessError):
                foreign_file.with_user(getattr(self, user_key)).read(["datas"])
        self.authenticate("p_staff", "p_staff")
        result = self._chatter(own, token=own._portal_ensure_token())
        [message] = result["data"]["mail.message"]
        [attachment] = message["attachment_ids"]
        self.assertEqual(attachment["name"], "fault-dealer.png")
        response = self.url_open(
            f"/web/content/{attachment['id']}?access_token={attachment['access_token']}"
        )
        self.assertEqual(response.status_code, 200)
        # without the token, and for another network's ticket, nothing
        self.assertIn(
            self.url_open(f"/web/content/{attachment['id']}").status_code, (403, 404)
        )
        self.assertIn(
            self.url_open(f"/web/content/{foreign_file.id}").status_code, (403, 404)
        )
        self.assertFalse(self._chatter(foreign)["data"]["mail.message"])
        with self.assertRaises(JsonRpcException):  # Forbidden: wrong token
            self._chatter(foreign, token="not-the-token")
        self.authenticate(None, None)
        self.assertIn(
            self.url_open(f"/web/content/{attachment['id']}").status_code, (403, 404)
        )
