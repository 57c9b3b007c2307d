import base64
import io

from odoo import api, fields, models

try:
    import openpyxl
    from openpyxl.styles import Font
except ImportError:  # pragma: no cover - openpyxl is in Odoo's requirements
    openpyxl = None

from ..report.aftersales_finance_report import AMOUNT_COLUMNS

# the report's case columns before its amounts
CASE_COLUMNS = [
    "ticket_id",
    "date",
    "team_id",
    "country_id",
    "partner_id",
    "dealer_id",
    "product_id",
    "lot_id",
    "currency_id",
]


class AftersalesFinanceExportWizard(models.TransientModel):
    """The finance reconciliation as an Excel workbook: the rows of
    ``aftersales.finance.report`` (the same figures as the pivot and list) for
    a period and optionally a team, dealer or product, one row per case and a
    total per currency."""

    _name = "aftersales.finance.export.wizard"
    _description = "Export the Finance Reconciliation"

    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    team_id = fields.Many2one("aftersales.team")
    country_id = fields.Many2one("res.country")
    dealer_id = fields.Many2one("res.partner", string="Dealer")
    product_id = fields.Many2one("product.product")

    def _report_domain(self):
        self.ensure_one()
        domain = []
        if self.date_from:
            domain.append(("date", ">=", self.date_from))
        if self.date_to:
            domain.append(("date", "<=", self.date_to))
        for name in ("team_id", "country_id", "dealer_id", "product_id"):
            if self[name]:
                domain.append((name, "=", self[name].id))
        return domain

    @api.model
    def _headers(self):
        Report = self.env["aftersales.finance.report"]
        return [
            Report._fields[name]._description_string(self.env)
            for name in CASE_COLUMNS + AMOUNT_COLUMNS
        ]

    def _xlsx_content(self):
        """The workbook's bytes."""
        self.ensure_one()
        reports = self.env["aftersales.finance.report"].search(self._report_domain())
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = self.env._("Reconciliation")
        sheet.append(self._headers())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        totals = {}
        for report in reports:
            row = []
            for name in CASE_COLUMNS:
                value = report[name]
                if isinstance(value, models.BaseModel):
                    value = value.display_name or ""
                row.append(value or "")
            row.extend(report[name] for name in AMOUNT_COLUMNS)
            sheet.append(row)
            total = totals.setdefault(report.currency_id, [0.0] * len(AMOUNT_COLUMNS))
            for index, name in enumerate(AMOUNT_COLUMNS):
                total[index] += report[name]
        for currency, total in totals.items():
            label = self.env._("Total")
            sheet.append(
                [label]
                + [""] * (len(CASE_COLUMNS) - 2)
                + [currency.name]
                + [currency.round(amount) for amount in total]
            )
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for column in sheet.iter_cols(min_col=len(CASE_COLUMNS) + 1):
            for cell in column[1:]:
                cell.number_format = "#,##0.00"
        output = io.BytesIO()
        book.save(output)
        return output.getvalue()

    def action_export(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Finance reconciliation.xlsx"),
                "datas": base64.b64encode(self._xlsx_content()),
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
