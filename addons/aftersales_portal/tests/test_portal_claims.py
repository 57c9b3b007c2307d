import base64
import json
import re
import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PNG, PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalClaims(PortalNetworkMixin, HttpCase):
    """/my/claims: a dealer's staff files, follows and corrects warranty claims;
    the other dealers, the other network and end customers see nothing of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.lot = cls.docs["dealer"]["aftersales.warranty"].lot_id
        cls.part = cls.env["product.product"].create(
            {"name": "Portal Display Board", "type": "consu"}
        )
        cls.claims = {}
        for key, dealer in (
            ("dealer", cls.dealer),
            ("sibling", cls.sibling),
            ("other", cls.other_dealer),
        ):
            cls.claims[key] = cls.env["aftersales.claim"].create(
                {
                    "dealer_id": dealer.id,
                    "lot_id": cls.docs[key]["aftersales.warranty"].lot_id.id,
                    "failure_date": cls.today - timedelta(days=20),
                    "repair_date": cls.today - timedelta(days=18),
                    "invoice_ref": f"INV-{key.upper()}",
                    "line_ids": [
                        Command.create(
                            {"cost_type": "other", "quantity": 1, "price_unit": 50}
                        )
                    ],
                }
            )
        cls.returned = cls.claims["dealer"]
        cls.returned.action_submit()
        cls.returned.action_return("Add the photo of the broken board.")

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _csrf(self, url="/my/claims/new"):
        page = self.url_open(url).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def _form(self, **changes):
        data = {
            "serial": self.lot.name,
            "failure_date": str(self.today - timedelta(days=6)),
            "repair_date": str(self.today - timedelta(days=4)),
            "invoice_ref": "INV-ELBE-77",
            "description": "Display board burnt, replaced.",
            "line_0_cost_type": "parts",
            "line_0_product_id": str(self.part.id),
            "line_0_quantity": "1",
            "line_0_price_unit": "120",
            "line_0_replaced_serial": "DB-OLD-1",
            "line_1_cost_type": "labour",
            "line_1_extra_hours": "1.5",
            "line_1_extra_reason": "Corroded screws",
            "line_2_cost_type": "travel",
            "line_2_quantity": "1",
            "line_2_price_unit": "30",
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    def _post(self, url, data, files=None):
        data = dict(data, csrf_token=self._csrf(url))
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _visible(self, login):
        self.authenticate(login, login)
        page = self.url_open("/my/claims").text
        return {key for key, claim in self.claims.items() if claim.name in page}

    def _xmlrpc(self, login, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, login, {})
        self.assertTrue(uid, f"{login} cannot log in")
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, login, model, method, list(args), kwargs
        )

    def _thread(self, claim):
        """What the portal chatter's messages route answers about ``claim``."""
        return json.dumps(
            self.make_jsonrpc_request(
                "/mail/thread/messages",
                {"thread_model": claim._name, "thread_id": claim.id},
            )
        )

    def _counter(self):
        return self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_claim_count"]}
        )["aftersales_claim_count"]

    # ------------------------------------------------------------------
    # filing a claim
    # ------------------------------------------------------------------

    def test_staff_files_claim_with_lines_and_attachment(self):
        self.authenticate("p_staff", "p_staff")
        before = self._counter()
        response = self._post(
            "/my/claims/new",
            self._form(ticket_id=str(self.docs["dealer"]["aftersales.ticket"].id)),
            files=[
                ("attachments", ("board.png", base64.b64decode(PNG), "image/png")),
                ("attachments", ("invoice.pdf", b"%PDF-1.4 test", "application/pdf")),
            ],
        )
        self.assertEqual(response.status_code, 303)
        claim = self.env["aftersales.claim"].search(
            [("invoice_ref", "=", "INV-ELBE-77")]
        )
        self.assertEqual(len(claim), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/my/claims/{claim.id}"))
        self.assertEqual(claim.dealer_id, self.dealer)
        self.assertEqual(claim.lot_id, self.lot)
        self.assertEqual(claim.ticket_id, self.docs["dealer"]["aftersales.ticket"])
        # submitted through action_submit: its checks ran and left findings
        self.assertEqual(claim.state, "submitted")
        self.assertTrue(claim.submit_date)
        self.assertIn("hours", claim.finding_ids.mapped("check"))
        self.assertFalse(claim.user_id, "the portal user is no adjudicator")
        self.assertEqual(
            sorted(claim.line_ids.mapped("cost_type")), ["labour", "parts", "travel"]
        )
        parts = claim.line_ids.filtered(lambda ln: ln.cost_type == "parts")
        self.assertEqual(parts.product_id, self.part)
        self.assertEqual(parts.replaced_serial, "DB-OLD-1")
        self.assertEqual(parts.amount_claimed, 120)
        labour = claim.line_ids.filtered(lambda ln: ln.cost_type == "labour")
        self.assertEqual(labour.extra_hours, 1.5)
        self.assertEqual(labour.extra_reason, "Corroded screws")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", claim._name), ("res_id", "=", claim.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("name")), ["board.png", "invoice.pdf"]
        )
        # on the list, the counter and its page (findings by kind only)
        self.assertIn(claim.name, self.url_open("/my/claims").text)
        self.assertIn(claim.name, self.url_open("/my/claims?filterby=submitted").text)
        self.assertNotIn(claim.name, self.url_open("/my/claims?filterby=paid").text)
        self.assertIn(
            claim.name, self.url_open(f"/my/claims?search={self.lot.name}").text
        )
        self.assertEqual(self._counter(), before + 1)
        page = self.url_open(f"/my/claims/{claim.id}").text
        self.assertIn("o_aftersales_claim_findings", page)
        self.assertIn("Hours Above Flat Rate", page)
        self.assertIn("DB-OLD-1", page)
        # the chatter (loaded by the page's script) hands out the files
        self.assertIn("board.png", self._thread(claim))
        # the other networks do not see it
        for login in ("p_sibling", "p_other_dealer", "p_customer"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertNotIn(claim.name, self.url_open("/my/claims").text)
                response = self.url_open(
                    f"/my/claims/{claim.id}", allow_redirects=False
                )
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))
                self.assertNotIn("board.png", self._thread(claim))
        # the distributor admin above the dealer does
        self.authenticate("p_distributor", "p_distributor")
        self.assertIn(claim.name, self.url_open("/my/claims").text)
        self.assertEqual(self.url_open(f"/my/claims/{claim.id}").status_code, 200)

    def test_end_customer_cannot_file(self):
        self.authenticate("p_customer", "p_customer")
        self.assertNotIn("/my/claims", self.url_open("/my").text)
        response = self.url_open("/my/claims/new", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        count = self.env["aftersales.claim"].search_count([])
        csrf = self._csrf("/my/tickets/new")
        response = self.url_open(
            "/my/claims/new",
            data=dict(self._form(), csrf_token=csrf),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.env["aftersales.claim"].search_count([]), count)

    def test_post_without_csrf_is_refused(self):
        self.authenticate("p_staff", "p_staff")
        count = self.env["aftersales.claim"].search_count([])
        with mute_logger("odoo.http"):
            response = self.url_open("/my/claims/new", data=self._form())
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.env["aftersales.claim"].search_count([]), count)

    # ------------------------------------------------------------------
    # who sees what
    # ------------------------------------------------------------------

    def test_lists_follow_the_network(self):
        self.assertEqual(self._visible("p_staff"), {"dealer"})
        self.assertEqual(self._visible("p_dealer_admin"), {"dealer"})
        self.assertEqual(self._visible("p_sibling"), {"sibling"})
        self.assertEqual(self._visible("p_other_dealer"), {"other"})
        self.assertEqual(self._visible("p_distributor"), {"dealer", "sibling"})
        self.assertEqual(self._visible("p_customer"), set())

    def test_counters_follow_the_network(self):
        for login, expected in (
            ("p_staff", 1),
            ("p_distributor", 2),
            ("p_sibling", 1),
            ("p_other_dealer", 1),
            ("p_customer", 0),
        ):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertEqual(self._counter(), expected)
        self.authenticate("p_staff", "p_staff")
        self.assertIn('href="/my/claims"', self.url_open("/my").text)

    def test_pages_of_others_redirect_to_my(self):
        for login, key in (
            ("p_staff", "sibling"),
            ("p_staff", "other"),
            ("p_sibling", "dealer"),
            ("p_other_dealer", "dealer"),
            ("p_customer", "dealer"),
        ):
            with self.subTest(login=login, claim=key):
                self.authenticate(login, login)
                claim = self.claims[key]
                for url in (f"/my/claims/{claim.id}", f"/my/claims/{claim.id}/edit"):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertEqual(response.status_code, 303, url)
                    self.assertTrue(response.headers["Location"].endswith("/my"))
        self.authenticate("p_staff", "p_staff")
        response = self.url_open("/my/claims/999999999", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my"))

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_xmlrpc_read_follows_the_rules(self):
        every = self.env["aftersales.claim"].browse(
            [claim.id for claim in self.claims.values()]
        )
        lines = every.line_ids
        for login, keys in (
            ("p_staff", {"dealer"}),
            ("p_distributor", {"dealer", "sibling"}),
            ("p_sibling", {"sibling"}),
            ("p_other_dealer", {"other"}),
            ("p_customer", set()),
        ):
            with self.subTest(login=login):
                expected = sorted(self.claims[key].id for key in keys)
                found = self._xmlrpc(
                    login, "aftersales.claim", "search", [("id", "in", every.ids)]
                )
                self.assertEqual(sorted(found), expected)
                found_lines = self._xmlrpc(
                    login,
                    "aftersales.claim.line",
                    "search",
                    [("id", "in", lines.ids)],
                )
                self.assertEqual(
                    sorted(found_lines),
                    sorted(self.claims[key].line_ids.id for key in keys),
                )
                for key in set(self.claims) - keys:
                    with self.assertRaises(xmlrpc.client.Fault, msg=f"{key} leaks"):
                        self._xmlrpc(
                            login,
                            "aftersales.claim",
                            "read",
                            self.claims[key].ids,
                            fields=["name"],
                        )
                # no write, no create, no findings for portal users
                with self.assertRaises(xmlrpc.client.Fault):
                    self._xmlrpc(
                        login,
                        "aftersales.claim",
                        "write",
                        self.claims["dealer"].ids,
                        {"description": "changed"},
                    )
                with self.assertRaises(xmlrpc.client.Fault):
                    self._xmlrpc(
                        login,
                        "aftersales.claim.finding",
                        "search_read",
                        [],
                        ["message"],
                    )
        self.assertNotEqual(self.claims["dealer"].description, "changed")

    # ------------------------------------------------------------------
    # answering a send-back
    # ------------------------------------------------------------------

    def test_returned_claim_is_corrected_and_resubmitted(self):
        claim = self.returned
        self.assertEqual(claim.state, "returned")
        self.authenticate("p_staff", "p_staff")
        page = self.url_open(f"/my/claims/{claim.id}").text
        self.assertIn("Add the photo of the broken board.", page)
        self.assertIn(f"/my/claims/{claim.id}/edit", page)
        form = self.url_open(f"/my/claims/{claim.id}/edit").text
        self.assertIn('value="INV-DEALER"', form)
        response = self._post(
            f"/my/claims/{claim.id}/edit",
            self._form(
                serial=claim.lot_id.name,
                invoice_ref="INV-DEALER",
                description="Photo of the board attached.",
                line_1_cost_type=None,
                line_2_cost_type=None,
            ),
            files=[("attachments", ("board.jpg", b"\xff\xd8\xff", "image/jpeg"))],
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.description, "Photo of the board attached.")
        self.assertEqual(claim.line_ids.mapped("cost_type"), ["parts"])
        self.assertEqual(claim.amount_claimed, 120)
        self.assertIn(
            "board.jpg",
            self.env["ir.attachment"]
            .search([("res_model", "=", claim._name), ("res_id", "=", claim.id)])
            .mapped("name"),
        )
        # once submitted it cannot be changed from the portal any more
        response = self.url_open(f"/my/claims/{claim.id}/edit", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/claims/{claim.id}"))

    def test_draft_claim_is_completed_and_submitted(self):
        claim = self.claims["sibling"]
        self.assertEqual(claim.state, "draft")
        self.authenticate("p_staff", "p_staff")
        response = self.url_open(f"/my/claims/{claim.id}/edit", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.authenticate("p_sibling", "p_sibling")
        self.assertIn("o_aftersales_claim_draft", self.url_open(claim.access_url).text)
        response = self._post(
            f"/my/claims/{claim.id}/edit",
            self._form(
                serial=claim.lot_id.name, invoice_ref="INV-SIBLING", ticket_id=None
            ),
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(len(claim.line_ids), 3)

    def test_claim_of_many_lines_keeps_them_all(self):
        """A claim of more lines than the form's first rows shows all of them
        on the form, with empty rows to add more, and keeps them all when saved
        again."""
        claim = self.claims["sibling"]
        claim.line_ids = [
            Command.create(
                {
                    "cost_type": "other",
                    "name": f"Consumable {index}",
                    "quantity": 1,
                    "price_unit": 10 + index,
                }
            )
            for index in range(8)
        ]
        count = len(claim.line_ids)
        self.assertGreater(count, 6)
        self.authenticate("p_sibling", "p_sibling")
        form = self.url_open(f"/my/claims/{claim.id}/edit").text
        self.assertIn('value="Consumable 7"', form)
        rows = re.findall(r"o_aftersales_claim_form_line_(\d+)", form)
        self.assertEqual(len(set(rows)), count + 2)
        data = {
            "serial": claim.lot_id.name,
            "failure_date": str(claim.failure_date),
            "repair_date": str(claim.repair_date),
            "invoice_ref": claim.invoice_ref,
        }
        for index, line in enumerate(claim.line_ids):
            data.update(
                {
                    f"line_{index}_cost_type": line.cost_type,
                    f"line_{index}_name": line.name or "",
                    f"line_{index}_product_id": str(line.product_id.id or ""),
                    f"line_{index}_quantity": str(line.quantity),
                    f"line_{index}_price_unit": str(line.price_unit),
                }
            )
        # and one more, in the first empty row
        data.update(
            {
                f"line_{count}_cost_type": "other",
                f"line_{count}_name": "Cable ties",
                f"line_{count}_quantity": "1",
                f"line_{count}_price_unit": "4",
            }
        )
        response = self._post(f"/my/claims/{claim.id}/edit", data)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(len(claim.line_ids), count + 1)
        self.assertIn("Cable ties", claim.line_ids.mapped("name"))

    def test_distributor_cannot_correct_a_dealers_claim(self):
        """The distributor admin reads the dealer's returned claim but the
        correction is the dealer's."""
        self.authenticate("p_distributor", "p_distributor")
        claim = self.returned
        self.assertNotIn(
            f"/my/claims/{claim.id}/edit", self.url_open(f"/my/claims/{claim.id}").text
        )
        csrf = self._csrf("/my/claims/new")
        response = self.url_open(
            f"/my/claims/{claim.id}/edit",
            data=dict(self._form(description="by the distributor"), csrf_token=csrf),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(claim.state, "returned")
        self.assertNotEqual(claim.description, "by the distributor")

    # ------------------------------------------------------------------
    # bad input: messages beside the fields, what was typed kept
    # ------------------------------------------------------------------

    def _assert_refused(self, data, field_error, files=None):
        count = self.env["aftersales.claim"].search_count([])
        response = self._post("/my/claims/new", data, files=files)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("o_aftersales_form_errors", page)
        self.assertIn(field_error, page)
        self.assertIn('value="INV-ELBE-77"', page, "typed values are kept")
        self.assertIn("Display board burnt, replaced.", page)
        self.assertIn('value="DB-OLD-1"', page)
        self.assertEqual(self.env["aftersales.claim"].search_count([]), count)
        return page

    def test_bad_input_is_kept_with_messages(self):
        self.authenticate("p_staff", "p_staff")
        tomorrow = str(self.today + timedelta(days=1))
        page = self._assert_refused(self._form(serial=""), "This field is required.")
        self.assertIn('name="serial" id="serial" class="form-control is-invalid"', page)
        self._assert_refused(
            self._form(serial="NO-SUCH-SERIAL"), "This serial number is unknown."
        )
        page = self._assert_refused(
            self._form(failure_date=tomorrow, repair_date=tomorrow),
            "This date is in the future.",
        )
        self.assertIn(f'value="{tomorrow}"', page)
        self._assert_refused(
            self._form(
                failure_date=str(self.today - timedelta(days=2)),
                repair_date=str(self.today - timedelta(days=3)),
            ),
            "The repair cannot be before the failure.",
        )
        page = self._assert_refused(
            self._form(line_0_quantity="-2"), "This cannot be negative."
        )
        self.assertIn('value="-2"', page)
        self._assert_refused(
            self._form(line_1_extra_reason=""), "Say why the extra time was needed."
        )
        self._assert_refused(
            self._form(line_0_product_id="999999999"), "Choose a part of the list."
        )
        self._assert_refused(
            self._form(ticket_id=str(self.docs["sibling"]["aftersales.ticket"].id)),
            "Choose a ticket of the list.",
        )
        self._assert_refused(
            self._form(line_0_cost_type="", line_1_cost_type="", line_2_cost_type=""),
            "Add at least one cost line.",
        )
        self._assert_refused(
            self._form(),
            "evil.svg: this type of file is not accepted",
            files=[("attachments", ("evil.svg", b"<svg/>", "image/svg+xml"))],
        )

    def test_claim_pages_in_chinese(self):
        """The claim form, its messages and the list in zh_CN."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "aftersales_portal")]
        )._load_module_terms(["aftersales_portal"], ["zh_CN"], overwrite=True)
        website = self.env["website"].get_current_website()
        website.language_ids |= self.env.ref("base.lang_zh_CN")
        self.user_staff.lang = "zh_CN"
        self.authenticate("p_staff", "p_staff")
        form = self.url_open("/zh_CN/my/claims/new").text
        for text in ("新保修索赔", "故障日期", "被更换零件序列号", "提交索赔"):
            self.assertIn(text, form)
        tomorrow = str(self.today + timedelta(days=1))
        page = self._post(
            "/zh_CN/my/claims/new",
            self._form(failure_date=tomorrow, line_0_quantity="-1"),
        ).text
        self.assertIn("此日期在将来。", page)
        self.assertIn("此值不能为负数。", page)
        listing = self.url_open("/zh_CN/my/claims").text
        self.assertIn("保修索赔", listing)
        self.assertIn(self.returned.name, listing)


@tagged("post_install", "-at_install")
class TestPortalClaimTour(PortalNetworkMixin, HttpCase):
    """A dealer's staff files a claim in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def test_dealer_files_claim(self):
        self.start_tour("/my/claims", "aftersales_portal_claim", login="p_staff")
        claim = self.env["aftersales.claim"].search(
            [("invoice_ref", "=", "TOUR-INV-1")]
        )
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.dealer_id, self.dealer)
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(
            sorted(claim.line_ids.mapped("cost_type")), ["labour", "other"]
        )
