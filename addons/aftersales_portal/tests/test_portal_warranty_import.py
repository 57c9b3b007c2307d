import datetime
import io
import re

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PortalNetworkMixin

HEADER = [
    "Serial",
    "Product",
    "Purchase Date",
    "Purchase Place",
    "Invoice Reference",
    "Customer Email",
]


def xlsx(rows, header=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER if header is None else header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@tagged("post_install", "-at_install")
class TestPortalWarrantyImport(PortalNetworkMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"PS-IMP-{i}", "product_id": cls.product.id} for i in range(1, 4)]
        )
        cls.other_product = cls.env["product.product"].create(
            {
                "name": "Portal Probe",
                "default_code": "PP-2",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.Warranty = cls.env["aftersales.warranty"]

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf(self):
        # the form of the single registration: every portal user has it
        page = self.url_open("/my/warranties/register").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def _import(self, content, filename="serials.xlsx", data=None, csrf=True):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open(
            "/my/warranties/import",
            data=data,
            files={"file": (filename, content, "application/octet-stream")},
        )

    def _imported(self):
        return self.Warranty.search([("lot_id", "in", self.lots.ids)])

    def _good_rows(self):
        return [
            ["PS-IMP-1", "PS-1", datetime.date(2026, 1, 15), "Hamburg", "INV-1", ""],
            [
                "PS-IMP-2",
                "",
                "2026-02-01",
                "",
                "INV-2",
                "Technik@Altona.example.com",
            ],
            ["PS-IMP-3", "PS-1", datetime.date(2026, 3, 1), "Kiel", "", None],
        ]

    def test_all_good_rows_register_for_the_dealer(self):
        self._login(self.user_staff)
        page = self.url_open("/my/warranties").text
        self.assertIn('href="/my/warranties/import"', page)
        # a dealer_id in the form is ignored: the dealer is the user's company
        response = self._import(
            xlsx(self._good_rows()), data={"dealer_id": str(self.sibling.id)}
        )
        self.assertEqual(response.status_code, 200)
        registrations = self._imported().sorted(lambda w: w.lot_id.name)
        self.assertEqual(len(registrations), 3)
        self.assertEqual(registrations.dealer_id, self.dealer)
        self.assertEqual(set(registrations.mapped("source")), {"dealer"})
        self.assertEqual(set(registrations.mapped("state")), {"active"})
        first, second, third = registrations
        self.assertEqual(first.purchase_date, datetime.date(2026, 1, 15))
        self.assertEqual(first.purchase_place, "Hamburg")
        self.assertEqual(first.invoice_ref, "INV-1")
        self.assertFalse(first.partner_id)
        self.assertEqual(second.partner_id, self.customer)
        self.assertEqual(third.purchase_date, datetime.date(2026, 3, 1))
        self.assertTrue(all(w.date_end for w in registrations))
        self.assertIn("o_aftersales_import_done", response.text)
        self.assertIn("3 serial numbers of serials.xlsx are registered.", response.text)
        for registration in registrations:
            self.assertIn(f'href="/my/warranties/{registration.id}"', response.text)
        # the dealer's own record rules: the staff reads them, another dealer not
        Warranty = self.Warranty.with_user(self.user_staff)
        self.assertEqual(Warranty.search_count([("id", "in", registrations.ids)]), 3)
        Warranty = self.Warranty.with_user(self.user_sibling)
        self.assertEqual(Warranty.search_count([("id", "in", registrations.ids)]), 0)

    def test_same_registration_as_the_single_form(self):
        lot = self.env["stock.lot"].create(
            {"name": "PS-SINGLE-1", "product_id": self.product.id}
        )
        self._login(self.user_distributor)
        csrf = self._csrf()
        self.url_open(
            "/my/warranties/register",
            data={
                "csrf_token": csrf,
                "serial": "PS-SINGLE-1",
                "purchase_date": "2026-01-15",
                "purchase_place": "Hong Kong",
                "invoice_ref": "INV-9",
            },
        )
        single = self.Warranty.search([("lot_id", "=", lot.id)])
        self._import(xlsx([["PS-IMP-1", "", "2026-01-15", "Hong Kong", "INV-9"]]))
        imported = self._imported()
        self.assertEqual(len(single), 1)
        self.assertEqual(len(imported), 1)
        keys = [
            "dealer_id",
            "partner_id",
            "source",
            "state",
            "purchase_date",
            "purchase_place",
            "invoice_ref",
            "date_start",
            "date_end",
            "product_id",
        ]
        self.assertEqual(
            single.read(keys)[0] | {"id": 0}, imported.read(keys)[0] | {"id": 0}
        )
        self.assertEqual(imported.dealer_id, self.top)

    def test_one_bad_row_creates_nothing(self):
        rows = self._good_rows()
        rows.insert(1, ["PS-NOPE-1", "", "2026-01-15", "", "", ""])
        self._login(self.user_staff)
        response = self._import(xlsx(rows), filename="march & april.xlsx")
        self.assertFalse(self._imported())
        page = response.text
        self.assertIn("o_aftersales_import_failed", page)
        self.assertIn("march &amp; april.xlsx", page)
        self.assertEqual(page.count("o_aftersales_import_error_row"), 1)
        row = re.search(r'class="o_aftersales_import_row">(\d+)<', page).group(1)
        self.assertEqual(row, "3")
        self.assertIn("PS-NOPE-1", page)
        self.assertIn("This serial number is unknown.", page)

    def test_serial_of_another_dealer_or_product_refused(self):
        self.customer_sibling.email = "lab@charite.example.com"
        rows = [
            ["PS-SIBLING-1", "", "2026-01-15", "", "", ""],
            ["PS-DEALER-1", "", "2026-01-15", "", "", ""],
            ["PS-IMP-1", "PP-2", "2026-01-15", "", "", ""],
            ["PS-IMP-2", "", "2026-01-15", "", "", "lab@charite.example.com"],
            ["PS-IMP-3", "", "2026-01-15", "", "", ""],
        ]
        self._login(self.user_staff)
        page = self._import(xlsx(rows)).text
        self.assertFalse(self._imported())
        errors = dict(
            re.findall(
                r'class="o_aftersales_import_row">(\d+)</td>.*?<td>\s*<div>([^<]+)</div>',
                page,
                re.DOTALL,
            )
        )
        self.assertEqual(
            errors,
            {
                "2": "This serial number is already registered by another dealer.",
                "3": "This serial number is already registered.",
                "4": "This serial number is of another product.",
                "5": "None of your customers has this email.",
            },
        )
        # the sibling's registration is untouched
        self.assertEqual(
            self.docs["sibling"]["aftersales.warranty"].dealer_id, self.sibling
        )

    def test_dates_and_duplicates_refused(self):
        rows = [
            ["PS-IMP-1", "", "2999-01-01", "", "", ""],
            ["PS-IMP-2", "", "", "", "", ""],
            ["PS-IMP-3", "", "31.02.2026", "", "", ""],
            ["PS-IMP-3", "", "2026-01-15", "", "", "no-email"],
        ]
        self._login(self.user_dealer_admin)
        page = self._import(xlsx(rows)).text
        self.assertFalse(self._imported())
        self.assertEqual(page.count("o_aftersales_import_error_row"), 4)
        for message in (
            "The purchase date cannot be in the future.",
            "The purchase date is missing.",
            "This date is not valid (write it as YYYY-MM-DD).",
            "This serial number is already in row 4.",
            "This email address is not valid.",
        ):
            self.assertIn(message, page)

    def test_csv_file(self):
        content = (
            "Serial;Purchase Date;Purchase Place\n"
            "PS-IMP-1;2026-01-15;Lübeck\n"
            "PS-IMP-2;2026-01-16;Kiel\n"
        ).encode()
        self._login(self.user_staff)
        page = self._import(content, filename="serials.csv").text
        self.assertIn("2 serial numbers of serials.csv are registered.", page)
        self.assertEqual(
            sorted(self._imported().mapped("purchase_place")), ["Kiel", "Lübeck"]
        )

    @mute_logger("odoo.addons.base_import.models.base_import")
    def test_too_many_rows_and_bad_files_refused(self):
        rows = [[f"PS-MANY-{i}", "", "2026-01-15"] for i in range(2001)]
        rows[0][0] = "PS-IMP-1"
        self._login(self.user_staff)
        page = self._import(xlsx(rows)).text
        self.assertIn(
            "serials.xlsx has 2001 rows: at most 2000 rows can be imported at once.",
            page,
        )
        self.assertFalse(self._imported())
        cases = (
            ("serials.pdf", b"%PDF-1.4", "only Excel (.xlsx) and CSV (.csv) files"),
            ("serials.xlsx", b"this is not a zip", "cannot be read as an Excel or CSV"),
            (
                "serials.xlsx",
                xlsx([["PS-IMP-1", "x"]], header=["Serial", "Notes"]),
                "has no column Purchase Date: start from the template.",
            ),
            ("serials.xlsx", xlsx([]), "has no rows to import"),
            ("serials.csv", b"x" * (2 * 1024 * 1024 + 1), "is larger than 2 MB"),
        )
        for filename, content, message in cases:
            with self.subTest(message=message):
                page = self._import(content, filename=filename).text
                self.assertIn(message, page)
                self.assertIn("is-invalid", page)
        self.assertFalse(self._imported())

    def test_end_customer_not_allowed(self):
        self._login(self.user_customer)
        page = self.url_open("/my/warranties").text
        self.assertNotIn('href="/my/warranties/import"', page)
        response = self.url_open("/my/warranties/import")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_aftersales_import_not_available", response.text)
        self.assertNotIn('name="file"', response.text)
        response = self._import(xlsx(self._good_rows()))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_aftersales_import_not_available", response.text)
        self.assertFalse(self._imported())
        response = self.url_open("/my/warranties/import/template")
        self.assertNotIn("spreadsheetml", response.headers.get("Content-Type", ""))
        # the model refuses too, whatever calls it
        Warranty = self.Warranty.with_user(self.user_customer)
        with self.assertRaises(AccessError):
            Warranty._portal_import_check([HEADER, ["PS-IMP-1", "", "2026-01-15"]])
        with self.assertRaises(AccessError):
            Warranty._portal_import_register([])

    def test_register_only_for_own_company(self):
        Warranty = self.Warranty.with_user(self.user_staff)
        _file_error, vals_list, errors = Warranty._portal_import_check(
            [HEADER, ["PS-IMP-1", "", "2026-01-15"]]
        )
        self.assertFalse(errors)
        vals_list[0]["dealer_id"] = self.sibling.id
        with self.assertRaises(AccessError):
            Warranty._portal_import_register(vals_list)
        self.assertFalse(self._imported())

    def test_row_failing_at_creation_rolls_back_all(self):
        """A serial registered between the checks and the creation: the rows
        loaded before it are undone too."""
        Warranty = self.Warranty.with_user(self.user_staff)
        _file_error, vals_list, errors = Warranty._portal_import_check(
            [HEADER] + [[lot.name, "", "2026-01-15"] for lot in self.lots]
        )
        self.assertFalse(errors)
        self.Warranty.create({"lot_id": self.lots[2].id, "dealer_id": self.sibling.id})
        registrations, errors = Warranty._portal_import_register(vals_list)
        self.assertFalse(registrations)
        self.assertEqual(list(errors), [4])
        self.assertIn("already has a warranty registration", errors[4][0])
        self.assertEqual(self._imported().lot_id, self.lots[2])

    @mute_logger("odoo.http")
    def test_missing_csrf_token_refused(self):
        self._login(self.user_staff)
        response = self._import(xlsx(self._good_rows()), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._imported())

    def test_template_download(self):
        self._login(self.user_staff)
        page = self.url_open("/my/warranties/import").text
        self.assertIn('href="/my/warranties/import/template"', page)
        response = self.url_open("/my/warranties/import/template")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn(
            "warranty_registrations.xlsx", response.headers["Content-Disposition"]
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual([cell.value for cell in sheet[1]], HEADER)
        self.assertEqual(sheet.max_row, 1)
        # the template filled in is accepted as it is
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        book.active.append(["PS-IMP-1", "PS-1", datetime.date(2026, 1, 15)])
        stream = io.BytesIO()
        book.save(stream)
        page = self._import(stream.getvalue()).text
        self.assertIn("1 serial number of serials.xlsx is registered.", page)

    def test_template_and_messages_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_portal"], ["zh_CN"]
        )
        self.env.ref("website.default_website").language_ids |= self.env.ref(
            "base.lang_zh_CN"
        )
        self.user_staff.lang = "zh_CN"
        self.user_staff.partner_id.lang = "zh_CN"
        self._login(self.user_staff)
        response = self.url_open("/zh_CN/my/warranties/import/template")
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        header = [cell.value for cell in book.active[1]]
        self.assertEqual(header[:3], ["序列号", "产品", "购买日期"])
        book.active.append(["PS-IMP-1", "", "2999-01-01"])
        stream = io.BytesIO()
        book.save(stream)
        csrf = re.search(
            r'name="csrf_token" value="([^"]+)"',
            self.url_open("/zh_CN/my/warranties/import").text,
        ).group(1)
        page = self.url_open(
            "/zh_CN/my/warranties/import",
            data={"csrf_token": csrf},
            files={
                "file": ("序列号.xlsx", stream.getvalue(), "application/octet-stream")
            },
        ).text
        self.assertIn("购买日期不能晚于今天", page)
        self.assertIn("序列号.xlsx 中的序列号均未登记", page)
        self.assertFalse(self._imported())
