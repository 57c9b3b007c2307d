import base64
import io
from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..const import WARRANTY_LIVE_STATES

_lt = LazyTranslate(__name__)

try:
    import openpyxl
except ImportError:  # pragma: no cover - openpyxl is one of Odoo's requirements
    openpyxl = None

# column key, header (English, and translated in the user's language), required
COLUMNS = [
    ("serial", "Serial Number", _lt("Serial Number"), True),
    ("product", "Product Code", _lt("Product Code"), True),
    ("customer", "Customer", _lt("Customer"), True),
    ("dealer", "Dealer", _lt("Dealer"), False),
    ("country", "Country Code", _lt("Country Code"), False),
    ("purchase_date", "Purchase Date", _lt("Purchase Date"), False),
    ("delivery_date", "Delivery Date", _lt("Delivery Date"), True),
    ("registration_date", "Registration Date", _lt("Registration Date"), False),
    ("invoice_ref", "Invoice Reference", _lt("Invoice Reference"), False),
    ("purchase_place", "Place of Purchase", _lt("Place of Purchase"), False),
]
DATE_COLUMNS = ("purchase_date", "delivery_date", "registration_date")


class AftersalesWarrantyImport(models.TransientModel):
    """Import legacy warranty registrations from an Excel file.

    Every row is validated first; when any row is wrong nothing is imported and
    the errors are listed by row.
    """

    _name = "aftersales.warranty.import"
    _description = "Import Warranty Registrations"

    file = fields.Binary(string="Excel File")
    filename = fields.Char()
    template_file = fields.Binary(readonly=True, attachment=False)
    state = fields.Selection(
        [("draft", "Draft"), ("error", "Errors"), ("done", "Imported")], default="draft"
    )
    error_text = fields.Text(readonly=True)
    imported_count = fields.Integer(readonly=True)

    def action_download_template(self):
        self.ensure_one()
        if openpyxl is None:
            raise UserError(self.env._("The Python library openpyxl is required."))
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Registrations"
        header = []
        for _key, _english, label, _required in COLUMNS:
            # str() in this frame, not in a comprehension: it finds self.env.lang here
            header.append(str(label))
        sheet.append(header)
        sheet.append(
            [
                "US200-0001",
                "US-200",
                "Klinikum Hamburg",
                "MedTech Hamburg GmbH",
                "DE",
                date(2025, 5, 2),
                date(2025, 5, 10),
                date(2025, 5, 20),
                "INV/2025/0042",
                "Hamburg",
            ]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.template_file = base64.b64encode(buffer.getvalue())
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/template_file/"
            "warranty_registrations_template.xlsx?download=true",
            "target": "self",
        }

    def action_import(self):
        self.ensure_one()
        rows = self._read_rows()
        values, errors = self._validate(rows)
        if errors:
            self.write(
                {"state": "error", "error_text": "\n".join(errors), "imported_count": 0}
            )
            return self._reopen()
        warranties = self._create_registrations(values)
        self.write(
            {"state": "done", "error_text": False, "imported_count": len(warranties)}
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_warranty_action"
        )
        action["domain"] = [("id", "in", warranties.ids)]
        return action

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Warranty Registrations"),
        }

    def _read_rows(self):
        if not self.file:
            raise UserError(self.env._("Choose the Excel file to import."))
        if openpyxl is None:
            raise UserError(self.env._("The Python library openpyxl is required."))
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(base64.b64decode(self.file)), read_only=True, data_only=True
            )
        except Exception as error:
            raise UserError(
                self.env._(
                    "The file is not an Excel (.xlsx) workbook: %(error)s", error=error
                )
            ) from error
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            raise UserError(self.env._("The file is empty."))
        header = [str(cell or "").strip().lower() for cell in rows[0]]
        known = {}
        for key, english, label, _required in COLUMNS:
            for name in {english.lower(), str(label).lower(), key}:
                if name in header:
                    known[key] = header.index(name)
        missing = []
        for key, _en, label, required in COLUMNS:
            if required and key not in known:
                missing.append(str(label))  # in this frame: translated in self.env.lang
        if missing:
            raise UserError(
                self.env._(
                    "Columns missing in the first row: %(columns)s",
                    columns=", ".join(missing),
                )
            )
        result = []
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell not in (None, "") for cell in row):
                continue
            result.append(
                (
                    number,
                    {
                        key: row[index] if index < len(row) else None
                        for key, index in known.items()
                    },
                )
            )
        if not result:
            raise UserError(self.env._("The file has no registration rows."))
        return result

    @staticmethod
    def _parse_date(value):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(text)

    def _validate(self, rows):
        """``(values, errors)``: values to create per row, or row-level errors."""
        env = self.env
        company = env.company
        serials = {str(row.get("serial") or "").strip() for _n, row in rows}
        codes = {str(row.get("product") or "").strip() for _n, row in rows}
        products = env["product.product"].search(
            ["|", ("default_code", "in", list(codes)), ("name", "in", list(codes))]
        )
        product_by_code = {}
        for product in products:
            product_by_code.setdefault(product.default_code, product)
            product_by_code.setdefault(product.name, product)
        lots = env["stock.lot"].search(
            [("name", "in", list(serials)), ("company_id", "in", [company.id, False])]
        )
        lot_by_key = {(lot.name, lot.product_id): lot for lot in lots}
        live = set(
            env["aftersales.warranty"]
            .search([("lot_id", "in", lots.ids), ("state", "in", WARRANTY_LIVE_STATES)])
            .lot_id.ids
        )
        names = {
            str(row.get(k) or "").strip()
            for _n, row in rows
            for k in ("customer", "dealer")
        }
        partners = env["res.partner"].search(
            ["|", ("name", "in", list(names)), ("email", "in", list(names))]
        )
        partner_by_name = {}
        for partner in partners:
            partner_by_name.setdefault(partner.email, partner)
            partner_by_name.setdefault(partner.name, partner)
        countries = {c.code: c for c in env["res.country"].search([])}
        seen = {}
        values, errors = [], []
        for number, row in rows:
            row_errors = []
            serial = str(row.get("serial") or "").strip()
            code = str(row.get("product") or "").strip()
            customer = str(row.get("customer") or "").strip()
            dealer_name = str(row.get("dealer") or "").strip()
            if not serial:
                row_errors.append(env._("the serial number is missing"))
            if not customer:
                row_errors.append(env._("the customer is missing"))
            product = product_by_code.get(code)
            if not product:
                row_errors.append(env._("unknown product %(code)s", code=code or "-"))
            lot = lot_by_key.get((serial, product)) if product and serial else None
            if product and serial and not lot:
                row_errors.append(
                    env._("unknown serial number %(serial)s", serial=serial)
                )
            if serial and serial in seen:
                row_errors.append(env._("duplicate of row %(row)s", row=seen[serial]))
            elif serial:
                seen[serial] = number
            if lot and lot.id in live:
                row_errors.append(
                    env._(
                        "serial number %(serial)s is already registered", serial=serial
                    )
                )
            dates = self._validate_dates(row, row_errors)
            country_code = str(row.get("country") or "").strip().upper()
            country = countries.get(country_code) if country_code else None
            if country_code and not country:
                row_errors.append(
                    env._("unknown country code %(code)s", code=country_code)
                )
            dealer = partner_by_name.get(dealer_name) if dealer_name else None
            if dealer_name and not dealer:
                row_errors.append(
                    env._("unknown dealer %(dealer)s", dealer=dealer_name)
                )
            if row_errors:
                errors.append(
                    env._(
                        "Row %(row)s: %(errors)s",
                        row=number,
                        errors="; ".join(row_errors),
                    )
                )
                continue
            values.append(
                {
                    "lot": lot,
                    "customer": partner_by_name.get(customer) or customer,
                    "dealer": dealer,
                    "country": country,
                    "dates": dates,
                    "invoice_ref": str(row.get("invoice_ref") or "").strip() or False,
                    "purchase_place": str(row.get("purchase_place") or "").strip()
                    or False,
                }
            )
        return values, errors

    def _validate_dates(self, row, row_errors):
        """The row's parsed dates; appends the date errors to ``row_errors``."""
        dates = {}
        for key in DATE_COLUMNS:
            try:
                dates[key] = self._parse_date(row.get(key))
            except ValueError as error:
                row_errors.append(
                    self.env._(
                        "bad date %(value)s in %(column)s",
                        value=error.args[0],
                        column=key.replace("_", " "),
                    )
                )
        if row.get("delivery_date") in (None, ""):
            row_errors.append(self.env._("the delivery date is missing"))
        return dates

    def _create_registrations(self, values):
        new_names = sorted(
            {v["customer"] for v in values if isinstance(v["customer"], str)}
        )
        created = self.env["res.partner"].create([{"name": name} for name in new_names])
        by_name = dict(zip(new_names, created, strict=True))
        vals_list = []
        for value in values:
            customer = value["customer"]
            if isinstance(customer, str):
                customer = by_name[customer]
            vals = {
                "lot_id": value["lot"].id,
                "partner_id": customer.id,
                "dealer_id": value["dealer"].id if value["dealer"] else False,
                "source": "import",
                "state": "active",
                "invoice_ref": value["invoice_ref"],
                "purchase_place": value["purchase_place"],
                "purchase_date": value["dates"].get("purchase_date") or False,
                "delivery_date": value["dates"].get("delivery_date"),
                "registration_date": value["dates"].get("registration_date")
                or value["dates"].get("delivery_date"),
            }
            if value["country"]:
                vals["country_id"] = value["country"].id
            vals_list.append(vals)
        return (
            self.env["aftersales.warranty"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
