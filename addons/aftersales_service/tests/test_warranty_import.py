import base64
import io
from datetime import date, datetime

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_warranty import WarrantyCase

HEADER = [
    "Serial Number",
    "Product Code",
    "Customer",
    "Dealer",
    "Country Code",
    "Purchase Date",
    "Delivery Date",
    "Registration Date",
    "Invoice Reference",
    "Place of Purchase",
]


def xlsx(rows, header=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return base64.b64encode(buffer.getvalue())


@tagged("post_install", "-at_install")
class TestWarrantyImport(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.importer = new_test_user(
            cls.env,
            login="as_importer",
            groups="aftersales_service.aftersales_group_manager,base.group_partner_manager",
            name="Import Manager",
        )
        cls.lots = cls.env["stock.lot"]
        for index in range(1, 6):
            cls.lots |= cls._lot(f"USX200-I00{index}")
        cls.registered = cls._lot("USX200-I009")
        cls._register(cls.registered)

    def _wizard(self, file, user=None):
        return (
            self.env["aftersales.warranty.import"]
            .with_user(user or self.importer)
            .create({"file": file, "filename": "registrations.xlsx"})
        )

    def _count(self):
        return self.env["aftersales.warranty"].search_count([])

    def test_import_good_file(self):
        file = xlsx(
            [
                [
                    "USX200-I001",
                    "USX-200",
                    "Klinikum Hamburg",
                    "Elbe MedTech Hamburg GmbH",
                    "DE",
                    date(2025, 5, 2),
                    date(2025, 5, 10),
                    date(2025, 5, 20),
                    "INV/2025/0042",
                    "Hamburg",
                ],
                [
                    "USX200-I002",
                    "USX-200",
                    "Neue Praxis Kiel",
                    None,
                    None,
                    None,
                    "2025-06-01",
                    None,
                    None,
                    None,
                ],
                [
                    "USX200-I003",
                    "Portable Ultrasound Scanner",
                    "Dubai Care Clinic",
                    "",
                    "AE",
                    None,
                    datetime(2025, 7, 1, 0, 0),
                    "15.07.2025",
                    None,
                    None,
                ],
                [None] * 10,  # empty rows are skipped
            ]
        )
        before = self._count()
        wizard = self._wizard(file)
        action = wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertFalse(wizard.error_text)
        self.assertEqual(wizard.imported_count, 3)
        self.assertEqual(self._count(), before + 3)
        warranties = self.env["aftersales.warranty"].search(action["domain"])
        self.assertEqual(warranties.lot_id, self.lots[:3])
        self.assertEqual(set(warranties.mapped("source")), {"import"})
        self.assertEqual(set(warranties.mapped("state")), {"active"})
        by_serial = {w.lot_id.name: w for w in warranties}
        first = by_serial["USX200-I001"]
        self.assertRecordValues(
            first,
            [
                {
                    "partner_id": self.customer_de.id,
                    "dealer_id": self.dealer_hh.id,
                    "distributor_id": self.distributor_eu.id,
                    "country_id": self.env.ref("base.de").id,
                    "purchase_date": date(2025, 5, 2),
                    "delivery_date": date(2025, 5, 10),
                    "registration_date": date(2025, 5, 20),
                    "invoice_ref": "INV/2025/0042",
                    "purchase_place": "Hamburg",
                    "policy_id": self.rule_eu.id,
                    "date_end": date(2027, 5, 9),
                }
            ],
        )
        # an unknown customer is created; no registration date: the delivery date
        second = by_serial["USX200-I002"]
        self.assertEqual(second.partner_id.name, "Neue Praxis Kiel")
        self.assertEqual(second.registration_date, date(2025, 6, 1))
        self.assertFalse(second.dealer_id)
        third = by_serial["USX200-I003"]
        self.assertEqual(third.partner_id, self.customer_ae)
        self.assertEqual(third.registration_date, date(2025, 7, 15))
        self.assertEqual(third.policy_id, self.rule_world)

    def test_bad_file_imports_nothing(self):
        file = xlsx(
            [
                # row 2 is right, but is not imported either
                [
                    "USX200-I001",
                    "USX-200",
                    "Klinikum Hamburg",
                    None,
                    "DE",
                    None,
                    date(2025, 5, 10),
                    None,
                    None,
                    None,
                ],
                # row 3: unknown product
                [
                    "USX200-I002",
                    "XX-999",
                    "Klinikum Hamburg",
                    None,
                    None,
                    None,
                    date(2025, 5, 10),
                    None,
                    None,
                    None,
                ],
                # row 4: unknown serial
                [
                    "USX200-NOPE",
                    "USX-200",
                    "Klinikum Hamburg",
                    None,
                    None,
                    None,
                    date(2025, 5, 10),
                    None,
                    None,
                    None,
                ],
                # row 5: bad date
                [
                    "USX200-I003",
                    "USX-200",
                    "Klinikum Hamburg",
                    None,
                    None,
                    None,
                    "31/31/2025",
                    None,
                    None,
                    None,
                ],
                # row 6: duplicate of row 2
                [
                    "USX200-I001",
                    "USX-200",
                    "Dubai Care Clinic",
                    None,
                    None,
                    None,
                    date(2025, 6, 10),
                    None,
                    None,
                    None,
                ],
                # row 7: already registered
                [
                    "USX200-I009",
                    "USX-200",
                    "Klinikum Hamburg",
                    None,
                    None,
                    None,
                    date(2025, 5, 10),
                    None,
                    None,
                    None,
                ],
                # row 8: unknown dealer and country
                [
                    "USX200-I004",
                    "USX-200",
                    "Klinikum Hamburg",
                    "Nobody GmbH",
                    "XX",
                    None,
                    date(2025, 5, 10),
                    None,
                    None,
                    None,
                ],
                # row 9: no delivery date
                [
                    "USX200-I005",
                    "USX-200",
                    "Klinikum Hamburg",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
            ]
        )
        before = self._count()
        partners_before = self.env["res.partner"].search_count([])
        wizard = self._wizard(file)
        action = wizard.action_import()
        self.assertEqual(self._count(), before, "nothing imported")
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertEqual(wizard.state, "error")
        self.assertEqual(wizard.imported_count, 0)
        self.assertEqual(
            (action["res_model"], action["res_id"]), (wizard._name, wizard.id)
        )
        errors = wizard.error_text.splitlines()
        self.assertEqual(
            [line.split(":")[0] for line in errors], [f"Row {n}" for n in range(3, 10)]
        )
        expected = {
            3: "unknown product XX-999",
            4: "unknown serial number USX200-NOPE",
            5: "bad date 31/31/2025 in delivery date",
            6: "duplicate of row 2",
            7: "serial number USX200-I009 is already registered",
            8: "unknown country code XX",
            9: "the delivery date is missing",
        }
        for line, (row, message) in zip(errors, expected.items(), strict=True):
            self.assertIn(message, line, f"row {row}")
        self.assertIn("unknown dealer Nobody GmbH", errors[5])

    def test_template_download(self):
        wizard = (
            self.env["aftersales.warranty.import"].with_user(self.importer).create({})
        )
        action = wizard.action_download_template()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(
            f"/web/content/aftersales.warranty.import/{wizard.id}/template_file/",
            action["url"],
        )
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.template_file))
        )
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), HEADER)
        self.assertEqual(len(rows[1]), len(HEADER))
        # filled in, the template imports
        sheet.delete_rows(2)
        sheet.append(
            [
                "USX200-I004",
                "USX-200",
                "Klinikum Hamburg",
                "Elbe MedTech Hamburg GmbH",
                "DE",
                None,
                date(2025, 9, 1),
                None,
                None,
                None,
            ]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard.file = base64.b64encode(buffer.getvalue())
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.error_text)
        self.assertEqual(
            self.lots[3].aftersales_warranty_id.delivery_date, date(2025, 9, 1)
        )

    def test_template_in_user_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.importer.lang = "zh_CN"
        wizard = (
            self.env["aftersales.warranty.import"].with_user(self.importer).create({})
        )
        wizard.action_download_template()
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.template_file))
        )
        header = next(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(header[0], "序列号")
        self.assertEqual(header[6], "交付日期")
        # a file with the translated headers imports
        file = xlsx(
            [
                [
                    "USX200-I005",
                    "USX-200",
                    "Klinikum Hamburg",
                    None,
                    None,
                    None,
                    date(2025, 9, 1),
                ]
            ],
            list(header[:7]),
        )
        wizard = self._wizard(file)
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.error_text)
        with self.assertRaisesRegex(UserError, "交付日期"):
            self._wizard(
                xlsx([["USX200-I004", "USX-200", "Klinikum Hamburg"]], list(header[:3]))
            ).action_import()

    def test_not_an_excel_file(self):
        wizard = self._wizard(
            base64.b64encode(b"serial;product\nUSX200-I001;USX-200\n")
        )
        with self.assertRaisesRegex(UserError, "not an Excel"):
            wizard.action_import()
        with self.assertRaisesRegex(UserError, "Choose the Excel file"):
            self._wizard(False).action_import()
        with self.assertRaisesRegex(
            UserError, "Columns missing in the first row: Delivery Date"
        ):
            self._wizard(
                xlsx([["USX200-I001", "USX-200", "Klinikum Hamburg"]], HEADER[:3])
            ).action_import()
        with self.assertRaisesRegex(UserError, "no registration rows"):
            self._wizard(xlsx([])).action_import()

    def test_import_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.import"].with_user(self.agent).create({})
