import datetime

from odoo.tests import BaseCase

from ..tools import import_file_error
from ..tools.warranty_import import check_rows, map_columns, parse_date

HEADER = ["Serial", "Product", "Purchase Date", "Purchase Place", "Invoice Reference"]
TODAY = datetime.date(2026, 6, 1)


class TestWarrantyImportRows(BaseCase):
    """Pure functions of tools/warranty_import.py: no database."""

    def test_file_type_and_size(self):
        self.assertIsNone(import_file_error("serials.xlsx", 10))
        self.assertIsNone(import_file_error("SERIALS.CSV", 10))
        self.assertEqual(import_file_error("serials.xls", 10), "type")
        self.assertEqual(import_file_error("serials.pdf", 10), "type")
        self.assertEqual(import_file_error("serials", 10), "type")
        self.assertEqual(import_file_error("serials.xlsx", 0), "empty")
        self.assertEqual(import_file_error("serials.xlsx", 11, max_bytes=10), "size")

    def test_columns_by_header_any_order_and_translation(self):
        columns, missing = map_columns(
            ["  purchase   date ", "序列号", "Extra"], {"serial": ["序列号"]}
        )
        self.assertEqual(columns, {"purchase_date": 0, "serial": 1})
        self.assertEqual(missing, [])
        columns, missing = map_columns(["Serial", "Place"])
        self.assertEqual(missing, ["purchase_date"])

    def test_dates(self):
        self.assertEqual(parse_date("2026-01-15"), datetime.date(2026, 1, 15))
        self.assertEqual(parse_date("2026-01-15 00:00:00"), datetime.date(2026, 1, 15))
        self.assertIsNone(parse_date("  "))
        for value in ("15.01.2026", "2026-02-30", "soon"):
            with self.subTest(value=value), self.assertRaises(ValueError):
                parse_date(value)

    def test_rows(self):
        rows = [
            HEADER,
            ["SN-1", "PS-1", "2026-01-15", " Hamburg  Nord ", "INV-1"],
            ["SN-2", "", "2026-07-01", "", ""],
            ["SN-1", "", "2026-01-15", "", ""],
            ["", "", "", "", ""],
            ["SN-3", "", "15/01/2026", "", ""],
            ["SN-4"],
        ]
        file_error, records, errors = check_rows(rows, TODAY)
        self.assertIsNone(file_error)
        self.assertEqual([r["row"] for r in records], [2, 3, 4, 5, 6, 7])
        self.assertEqual(records[0]["purchase_date"], datetime.date(2026, 1, 15))
        self.assertEqual(records[0]["purchase_place"], "Hamburg Nord")
        self.assertEqual(records[0]["product"], "PS-1")
        self.assertEqual(records[5]["customer_email"], "")
        self.assertNotIn(2, errors)
        self.assertEqual(errors[3], [("future_date", {})])
        self.assertEqual(errors[4], [("duplicate", {"row": 2})])
        self.assertEqual(
            errors[5],
            [
                ("required", {"field": "serial"}),
                ("required", {"field": "purchase_date"}),
            ],
        )
        self.assertEqual(errors[6], [("invalid_date", {})])
        self.assertEqual(errors[7], [("required", {"field": "purchase_date"})])

    def test_email(self):
        rows = [
            [*HEADER, "Customer Email"],
            ["SN-1", "", "2026-01-15", "", "", " Technik@Altona.example.com "],
            ["SN-2", "", "2026-01-15", "", "", "not an email"],
        ]
        _file_error, records, errors = check_rows(rows, TODAY)
        self.assertEqual(records[0]["customer_email"], "technik@altona.example.com")
        self.assertNotIn(2, errors)
        self.assertEqual(errors[3], [("invalid_email", {})])
        self.assertEqual(records[1]["customer_email"], "")

    def test_file_errors(self):
        self.assertEqual(check_rows([HEADER], TODAY)[0], ("empty", {}))
        self.assertEqual(check_rows([], TODAY)[0], ("empty", {}))
        self.assertEqual(
            check_rows([["Serial"], ["SN-1"]], TODAY)[0],
            ("columns", {"missing": ["purchase_date"]}),
        )
        rows = [HEADER] + [[f"SN-{i}", "", "2026-01-15"] for i in range(4)]
        self.assertIsNone(check_rows(rows, TODAY, max_rows=4)[0])
        self.assertEqual(
            check_rows(rows + [["SN-9", "", "2026-01-15"]], TODAY, max_rows=4)[0],
            ("rows", {"count": 5, "max": 4}),
        )
