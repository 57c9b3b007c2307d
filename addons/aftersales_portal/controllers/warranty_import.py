import io
import logging

import xlsxwriter

from odoo import http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

from odoo.addons.base_import.models.base_import import ImportValidationError
from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools import IMPORT_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, import_file_error

_logger = logging.getLogger(__name__)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# registrations linked one by one on the result page, the rest via the list
RESULT_LINKS = 100


class AftersalesWarrantyImportPortal(CustomerPortal):
    """/my/warranties/import: a dealer registers many serials from a
    spreadsheet (checks and creation on aftersales.warranty)."""

    def _warranty_import_labels(self):
        """The template's headers in the user's language: key -> label."""
        _ = request.env._
        return {
            "serial": _("Serial"),
            "product": _("Product"),
            "purchase_date": _("Purchase Date"),
            "purchase_place": _("Purchase Place"),
            "invoice_ref": _("Invoice Reference"),
            "customer_email": _("Customer Email"),
        }

    def _warranty_import_values(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_warranty_import",
                "allowed": request.env["aftersales.warranty"]._portal_import_allowed(),
                "labels": self._warranty_import_labels(),
                "columns": IMPORT_COLUMNS,
                "errors": {},
                "row_errors": [],
                "filename": "",
                "registrations": None,
                "result_links": RESULT_LINKS,
                "limits_message": request.env._(
                    "At most %(rows)s rows and %(size)s MB per file. If a row is "
                    "wrong, nothing is registered.",
                    rows=MAX_IMPORT_ROWS,
                    size=MAX_IMPORT_BYTES // (1024 * 1024),
                ),
            }
        )
        values.update(kw)
        return values

    def _warranty_import_render(self, **kw):
        return request.render(
            "aftersales_portal.portal_warranty_import",
            self._warranty_import_values(**kw),
        )

    def _warranty_import_file_message(self, code, params, filename):
        _ = request.env._
        if code == "type":
            return _(
                "%(file)s: only Excel (.xlsx) and CSV (.csv) files can be imported.",
                file=filename,
            )
        if code == "size":
            return _(
                "%(file)s is larger than %(size)s MB.",
                file=filename,
                size=MAX_IMPORT_BYTES // (1024 * 1024),
            )
        if code == "columns":
            labels = self._warranty_import_labels()
            return _(
                "%(file)s has no column %(columns)s: start from the template.",
                file=filename,
                columns=", ".join(labels[key] for key in params["missing"]),
            )
        if code == "rows":
            return _(
                "%(file)s has %(count)s rows: at most %(max)s rows can be imported "
                "at once. Split the file.",
                file=filename,
                count=params["count"],
                max=params["max"],
            )
        if code == "unreadable":
            return _("%(file)s cannot be read as an Excel or CSV file.", file=filename)
        return _("%(file)s has no rows to import.", file=filename)

    @http.route(
        ["/my/warranties/import"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_warranty_import(self, **post):
        Warranty = request.env["aftersales.warranty"]
        if request.httprequest.method == "GET" or not Warranty._portal_import_allowed():
            # an end customer sees the page saying it is for dealers
            return self._warranty_import_render()
        upload = request.httprequest.files.get("file")
        filename = (upload.filename if upload else "") or ""
        if not filename:
            return self._warranty_import_render(
                errors={"file": request.env._("Choose a file to import.")}
            )
        content = upload.read(MAX_IMPORT_BYTES + 1)
        code = import_file_error(filename, len(content))
        rows = None
        if not code:
            try:
                rows = Warranty._portal_import_read(filename, content)
            except (ImportValidationError, ValueError, UserError, LookupError) as error:
                _logger.info("Warranty import: %s unreadable: %s", filename, error)
                code = "unreadable"
        if code:
            return self._warranty_import_render(
                filename=filename,
                errors={"file": self._warranty_import_file_message(code, {}, filename)},
            )
        file_error, vals_list, row_errors = Warranty._portal_import_check(
            rows, labels={k: [v] for k, v in self._warranty_import_labels().items()}
        )
        if file_error:
            return self._warranty_import_render(
                filename=filename,
                errors={
                    "file": self._warranty_import_file_message(
                        *file_error, filename=filename
                    )
                },
            )
        if not row_errors:
            registrations, row_errors = Warranty._portal_import_register(vals_list)
        if row_errors:
            serials = {vals["row"]: vals["serial"] for vals in vals_list}
            return self._warranty_import_render(
                filename=filename,
                failed_message=request.env._(
                    "Nothing of %(file)s was registered: correct the rows below in "
                    "the file and import it again.",
                    file=filename,
                ),
                row_errors=[
                    (row, serials.get(row, ""), messages)
                    for row, messages in sorted(row_errors.items())
                ],
            )
        if len(registrations) == 1:
            done = request.env._(
                "1 serial number of %(file)s is registered.", file=filename
            )
        else:
            done = request.env._(
                "%(count)s serial numbers of %(file)s are registered.",
                count=len(registrations),
                file=filename,
            )
        return self._warranty_import_render(
            filename=filename,
            done_message=done,
            # sudo: the registrations just created, checked readable by the user
            registrations=registrations.sudo(),
        )

    @http.route(
        ["/my/warranties/import/template"], type="http", auth="user", website=True
    )
    def portal_warranty_import_template(self, **kw):
        if not request.env["aftersales.warranty"]._portal_import_allowed():
            return request.redirect("/my/warranties/import")
        labels = self._warranty_import_labels()
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        sheet = workbook.add_worksheet(request.env._("Registrations"))
        bold = workbook.add_format({"bold": True})
        date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        for column, (key, _title, _required) in enumerate(IMPORT_COLUMNS):
            sheet.write(0, column, labels[key], bold)
            sheet.set_column(
                column, column, 22, date if key == "purchase_date" else None
            )
        sheet.freeze_panes(1, 0)
        workbook.close()
        content = stream.getvalue()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                (
                    "Content-Disposition",
                    content_disposition("warranty_registrations.xlsx"),
                ),
            ],
        )
