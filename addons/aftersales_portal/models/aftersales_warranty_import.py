import logging
import mimetypes

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.warranty_import import check_rows

_logger = logging.getLogger(__name__)

# the portal scopes that register warranties for their company (not end customers)
IMPORT_SCOPES = ("staff", "dealer_admin", "distributor_admin")
# what load() receives per registration, in this order
LOAD_FIELDS = [
    "lot_id/.id",
    "purchase_date",
    "purchase_place",
    "invoice_ref",
    "dealer_id/.id",
    "partner_id/.id",
    "source",
]


class AftersalesWarranty(models.Model):
    """Bulk registration from a spreadsheet on the portal: the file is read by
    Odoo's import engine, each row is checked as the single registration form
    checks one, and the registrations are loaded all or none."""

    _inherit = "aftersales.warranty"

    @api.model
    def _portal_import_allowed(self):
        return (
            self.env.user.aftersales_portal_scope in IMPORT_SCOPES
            and self.has_access("read")
        )

    @api.model
    def _portal_import_check_allowed(self):
        if not self._portal_import_allowed():
            raise AccessError(
                self.env._("Only dealers register warranties from a spreadsheet.")
            )

    @api.model
    def _portal_import_read(self, filename, content):
        """The non-empty rows of an uploaded .xlsx or .csv file, as lists of
        strings, read by ``base_import.import``. sudo: portal users have no
        right on the import wizard of the backend; it is only given the bytes
        the user uploaded and reads nothing of the database. Raises
        ``ValueError``/``UserError`` for a file it cannot read."""
        self._portal_import_check_allowed()
        importer_sudo = (
            self.env["base_import.import"]
            .sudo()
            .create(
                {
                    "res_model": self._name,
                    "file": content,
                    "file_name": filename,
                    "file_type": mimetypes.guess_type(filename)[0] or "",
                }
            )
        )
        options = {"quoting": '"', "separator": "", "encoding": "", "has_headers": True}
        if filename.lower().endswith(".csv"):
            # UTF-8 (with or without the BOM Excel writes) when the bytes are
            # UTF-8; else the import engine guesses (a short file may mislead it)
            try:
                content.decode("utf-8-sig")
            except UnicodeDecodeError:
                _logger.debug("%s is not UTF-8: the import engine guesses", filename)
            else:
                options["encoding"] = "utf-8-sig"
        try:
            _length, rows = importer_sudo._read_file(options)
        finally:
            importer_sudo.unlink()
        return [[str(cell) for cell in row] for row in rows]

    @api.model
    def _portal_import_check(self, rows, labels=None):
        """Check every row of ``rows`` (the header first) as the portal's
        registration form checks one serial, in a few queries for the whole
        file. Returns ``(file_error, vals_list, row_errors)``: the error of the
        whole file (``(code, params)`` of ``tools.warranty_import``), the
        values of one registration per row (with its ``row`` number), and row
        number -> list of messages."""
        self._portal_import_check_allowed()
        _ = self.env._
        user = self.env.user
        today = fields.Date.context_today(user)
        file_error, records, errors = check_rows(rows, today, labels=labels)
        if file_error:
            return file_error, [], {}
        messages = {}
        for row, row_errors in errors.items():
            messages[row] = [self._portal_import_message(*e) for e in row_errors]

        lots_by_serial, live_by_lot = self._portal_import_lots(
            {r["serial"] for r in records if r["serial"]}
        )
        own = user.partner_id.commercial_partner_id
        customers = self._portal_import_customers(
            {r["customer_email"] for r in records if r["customer_email"]}, own
        )
        vals_list = []
        for record in records:
            lot, row_messages = self._portal_import_check_lot(
                record, lots_by_serial, live_by_lot, own
            )
            vals = {
                "row": record["row"],
                "serial": record["serial"],
                "lot_id": lot.id if lot else False,
                "purchase_date": record["purchase_date"],
                "purchase_place": record["purchase_place"],
                "invoice_ref": record["invoice_ref"],
                "dealer_id": own.id,
                "source": "dealer",
                "partner_id": False,
            }
            if record["customer_email"]:
                customer = customers.get(record["customer_email"])
                if customer:
                    vals["partner_id"] = customer.id
                else:
                    row_messages.append(_("None of your customers has this email."))
            if row_messages:
                messages.setdefault(record["row"], []).extend(row_messages)
            vals_list.append(vals)
        return None, vals_list, messages

    @api.model
    def _portal_import_lots(self, serials):
        """serial -> its lots (the form's search: this company's or shared),
        and lot id -> its live registration. sudo: portal users cannot read
        stock.lot; whether a serial is registered, and by whom, is told
        without showing anything of that registration (as
        _portal_live_registration)."""
        lots_by_serial, live_by_lot = {}, {}
        if not serials:
            return lots_by_serial, live_by_lot
        lots_sudo = (
            self.env["stock.lot"]
            .sudo()
            .search(
                [
                    ("name", "in", list(serials)),
                    ("company_id", "in", [self.env.company.id, False]),
                ]
            )
        )
        for lot in lots_sudo:
            lots_by_serial.setdefault(lot.name, []).append(lot)
        if lots_sudo:
            for registration in self.sudo().search(
                [("lot_id", "in", lots_sudo.ids), ("state", "in", ("draft", "active"))]
            ):
                live_by_lot.setdefault(registration.lot_id.id, registration)
        return lots_by_serial, live_by_lot

    @api.model
    def _portal_import_check_lot(self, record, lots_by_serial, live_by_lot, own):
        """The lot of a row and the messages about it, as the form checks the
        serial: known, of the product given, not registered yet."""
        _ = self.env._
        if not record["serial"]:
            return None, []
        candidates = lots_by_serial.get(record["serial"], [])
        if not candidates:
            return None, [_("This serial number is unknown.")]
        if record["product"]:
            candidates = [
                lot
                for lot in candidates
                if record["product"]
                in (lot.product_id.default_code, lot.product_id.barcode)
            ]
            if not candidates:
                return None, [_("This serial number is of another product.")]
        lot = candidates[0]
        live = live_by_lot.get(lot.id)
        if live and live.dealer_id and live.dealer_id != own:
            return lot, [
                _("This serial number is already registered by another dealer.")
            ]
        if live:
            return lot, [_("This serial number is already registered.")]
        return lot, []

    @api.model
    def _portal_import_customers(self, emails, own):
        """email -> the customer with that email among those the user serves:
        the customers of the tickets and registrations the user may read
        (record rules), as the form's list of known customers, not the user's
        own company. In sudo to read the contacts' emails."""
        if not emails:
            return {}
        partners_sudo = (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "in", list(emails))])
        )
        candidates = partners_sudo | partners_sudo.commercial_partner_id
        served = self.env["res.partner"]
        for model in ("aftersales.ticket", "aftersales.warranty"):
            Model = self.env[model]
            if not Model.has_access("read"):
                continue
            for [partner] in Model._read_group(
                [("partner_id", "in", candidates.ids)], ["partner_id"]
            ):
                served |= partner
        result = {}
        for partner in partners_sudo.sorted("id"):
            if partner.commercial_partner_id == own:
                continue
            customer = partner if partner in served else partner.commercial_partner_id
            if customer in served:
                result.setdefault(partner.email_normalized, customer.sudo())
        return result

    @api.model
    def _portal_import_message(self, code, params):
        _ = self.env._
        if code == "required":
            if params.get("field") == "serial":
                return _("The serial number is missing.")
            return _("The purchase date is missing.")
        if code == "invalid_date":
            return _("This date is not valid (write it as YYYY-MM-DD).")
        if code == "future_date":
            return _("The purchase date cannot be in the future.")
        if code == "duplicate":
            return _("This serial number is already in row %(row)s.", row=params["row"])
        if code == "invalid_email":
            return _("This email address is not valid.")
        return code

    @api.model
    def _portal_import_register(self, vals_list):
        """Create the registrations checked by ``_portal_import_check``, all or
        none: they are loaded by ``load()`` (the backend's import) in a
        savepoint, rolled back if a row still fails (e.g. a serial registered
        meanwhile). Returns
        ``(registrations, row_errors)``.

        sudo: portal users have no create right on registrations; the rows were
        checked for this user (the dealer is the user's company) and the result
        is checked to be readable by the user before it is returned."""
        self._portal_import_check_allowed()
        own = self.env.user.partner_id.commercial_partner_id
        if any(vals["dealer_id"] != own.id for vals in vals_list):
            raise AccessError(
                self.env._("You register warranties for your company only.")
            )
        data = [
            [
                str(vals["lot_id"]),
                fields.Date.to_string(vals["purchase_date"]),
                vals["purchase_place"],
                vals["invoice_ref"],
                str(vals["dealer_id"]),
                str(vals["partner_id"] or ""),
                vals["source"],
            ]
            for vals in vals_list
        ]
        row_errors = {}
        with self.env.cr.savepoint() as savepoint:
            result = self.sudo().with_context(import_file=True).load(LOAD_FIELDS, data)
            errors = [m for m in result["messages"] if m.get("type") == "error"]
            if len(errors) > 1 and any(
                m["message"] == errors[0]["message"] for m in errors[1:]
            ):
                # load() puts first the error of its batch attempt, given to the
                # batch's first row, then the error of the row that failed
                errors = errors[1:]
            for message in errors:
                index = message.get("record", message.get("rows", {}).get("from", 0))
                row = vals_list[min(max(index or 0, 0), len(vals_list) - 1)]["row"]
                row_errors.setdefault(row, []).append(message["message"])
            if row_errors or len(result["ids"] or ()) != len(vals_list):
                # nothing partial: load() already undoes its rows when one
                # fails; this savepoint is the guard if the count does not add up
                savepoint.rollback()
                self.env.invalidate_all()
                return self.browse(), row_errors or {
                    vals_list[0]["row"]: [self.env._("The file could not be imported.")]
                }
        registrations = self.browse(result["ids"])
        registrations.check_access("read")
        return registrations, {}
