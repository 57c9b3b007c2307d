"""The checks of a warranty import file that need no database: the file's
type and size, the header row, the number of rows and each row's own values
(serial and purchase date given, the date valid and not in the future, no
serial twice in the file, an email that looks like one).

Pure functions: no database, tested in ``tests/test_warranty_import_rows.py``.
The rows come from Odoo's import engine (``base_import.import``), as lists of
strings; errors are codes with their parameters, worded by the caller.
"""

import datetime
import os
import re

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2000
IMPORT_EXTENSIONS = (".xlsx", ".csv")
# (key, header of the template, required)
IMPORT_COLUMNS = (
    ("serial", "Serial", True),
    ("product", "Product", False),
    ("purchase_date", "Purchase Date", True),
    ("purchase_place", "Purchase Place", False),
    ("invoice_ref", "Invoice Reference", False),
    ("customer_email", "Customer Email", False),
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# dates as the import engine writes a spreadsheet's date cells, or as typed
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d")


def import_file_error(filename, size, max_bytes=MAX_IMPORT_BYTES):
    """``None`` for an acceptable import file, else ``"type"`` (not .xlsx or
    .csv), ``"empty"`` or ``"size"``."""
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in IMPORT_EXTENSIONS:
        return "type"
    if not size:
        return "empty"
    if size > max_bytes:
        return "size"
    return None


def normalize_header(text):
    return " ".join(str(text or "").split()).casefold()


def map_columns(header, labels=None):
    """Find the columns in the header row. ``labels`` maps a key to more
    accepted headers (the translated ones). Returns ``(columns, missing)``:
    key -> column index, and the keys of the required columns not found."""
    accepted = {}
    for key, title, _required in IMPORT_COLUMNS:
        for name in (key, title, *(labels or {}).get(key, ())):
            accepted.setdefault(normalize_header(name), key)
    columns = {}
    for index, text in enumerate(header):
        key = accepted.get(normalize_header(text))
        if key and key not in columns:
            columns[key] = index
    missing = [
        key
        for key, _title, required in IMPORT_COLUMNS
        if required and key not in columns
    ]
    return columns, missing


def parse_date(value):
    """A date from a cell's text; ``None`` when empty; ``ValueError`` when
    it is not a date."""
    value = str(value or "").strip()
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def check_rows(rows, today, labels=None, max_rows=MAX_IMPORT_ROWS):
    """Check the rows of a file (the header first).

    Returns ``(file_error, records, row_errors)``:

    - ``file_error``: ``None`` or ``(code, params)`` about the whole file:
      ``("empty", {})`` no data row, ``("columns", {"missing": [keys]})``,
      ``("rows", {"count": n, "max": max_rows})``;
    - ``records``: one dict per data row: ``row`` (its number, the header
      being row 1) and the values by key (``purchase_date`` a date);
    - ``row_errors``: row number -> list of ``(code, params)``:
      ``required`` (``field``), ``invalid_date``, ``future_date``,
      ``duplicate`` (``row``: the first row with that serial),
      ``invalid_email``.
    """
    rows = [list(row) for row in rows or ()]
    if len(rows) < 2:
        return ("empty", {}), [], {}
    columns, missing = map_columns(rows[0], labels)
    if missing:
        return ("columns", {"missing": missing}), [], {}
    data = rows[1:]
    if len(data) > max_rows:
        return ("rows", {"count": len(data), "max": max_rows}), [], {}
    records, row_errors, first_row = [], {}, {}
    for number, row in enumerate(data, 2):
        record = {"row": number}
        for key, _title, _required in IMPORT_COLUMNS:
            index = columns.get(key)
            cell = row[index] if index is not None and index < len(row) else ""
            record[key] = " ".join(str(cell or "").split())
        errors = []
        serial = record["serial"]
        if not serial:
            errors.append(("required", {"field": "serial"}))
        elif serial in first_row:
            errors.append(("duplicate", {"row": first_row[serial]}))
        else:
            first_row[serial] = number
        try:
            record["purchase_date"] = parse_date(record["purchase_date"])
        except ValueError:
            record["purchase_date"] = None
            errors.append(("invalid_date", {}))
        else:
            if not record["purchase_date"]:
                errors.append(("required", {"field": "purchase_date"}))
            elif record["purchase_date"] > today:
                errors.append(("future_date", {}))
        email = record["customer_email"]
        if email and not EMAIL_RE.match(email):
            errors.append(("invalid_email", {}))
            email = ""
        record["customer_email"] = email.casefold()
        if errors:
            row_errors[number] = errors
        records.append(record)
    return None, records, row_errors
