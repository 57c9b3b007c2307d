import base64
import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.tests import freeze_time, tagged

from ..report.aftersales_finance_report import AMOUNT_COLUMNS
from .common_recovery import RecoveryCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestFinanceReport(RecoveryCase):
    """The reconciliation of a case: costs by payer, customer invoiced, dealer
    claims, supplier recoveries and the difference; the Excel export read back
    with openpyxl gives the same figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot_claim = cls.lots[1]
        cls._register(cls.lot_claim, dealer_id=cls.dealer_hh.id)
        cls.case = cls._ticket(
            cls,
            product_id=cls.linear_probe.id,
            lot_id=cls.lot_claim.id,
            partner_id=cls.customer_de.id,
            dealer_id=cls.dealer_hh.id,
        )
        cls._cost(cls, cls.case, 500.0, date(2026, 5, 2))
        cls._cost(
            cls, cls.case, 120.0, date(2026, 5, 2), payer="customer", cost_type="travel"
        )
        cls.other_case = cls._ticket(
            cls, product_id=cls.linear_probe.id, lot_id=cls.lots[2].id
        )
        cls._cost(cls, cls.other_case, 80.0, date(2026, 5, 3), payer="dealer")

    def _customer_invoice(self, amount, move_type="out_invoice"):
        rma = self._rma([self._line(self.lot_claim)], ticket_id=self.case.id)
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.customer_de.id,
                "aftersales_rma_id": rma.id,
                "invoice_date": date(2026, 5, 10),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Travel charged",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _report(self, case):
        Report = self.env["aftersales.finance.report"]
        Report.invalidate_model()
        self.env.flush_all()
        return Report.search([("ticket_id", "=", case.id)])

    def test_case_figures(self):
        self._customer_invoice(120.0)
        # a draft invoice is not invoiced yet
        draft = self._customer_invoice(999.0)
        draft.button_draft()
        claim = self._dealer_claim(
            self.lot_claim,
            ticket_id=self.case.id,
            failure_date=date(2026, 5, 1),
            repair_date=date(2026, 5, 4),
        )
        claim.action_submit()
        claim.line_ids.decision = "approved"
        claim.action_adjudicate()
        self.assertEqual(claim.currency_id, self.eur)
        recovery = self._propose()
        recovery.action_send()
        recovery.with_user(self.finance).action_accept()

        row = self._report(self.case)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.currency_id, self.company.currency_id)
        self.assertAlmostEqual(row.cost_total, 620.0)
        self.assertAlmostEqual(row.cost_warranty, 500.0)
        self.assertAlmostEqual(row.cost_customer, 120.0)
        self.assertAlmostEqual(row.invoiced, 120.0)
        # the claim is in EUR: in company currency at May's rate (0.8 EUR per USD)
        self.assertAlmostEqual(
            row.claim_approved,
            self.company.currency_id.round(claim.amount_approved / 0.8),
        )
        self.assertAlmostEqual(row.claim_paid, 0.0)
        self.assertAlmostEqual(row.recovery_claimed, 400.0)
        self.assertAlmostEqual(row.recovered, 400.0)
        self.assertAlmostEqual(
            row.difference, 120.0 + 400.0 - 620.0 - row.claim_approved
        )
        self.assertEqual(row.dealer_id, self.dealer_hh)
        self.assertEqual(row.product_id, self.linear_probe)
        # a credit note to the customer lowers what was invoiced
        self._customer_invoice(20.0, move_type="out_refund")
        self.assertAlmostEqual(self._report(self.case).invoiced, 100.0)
        other = self._report(self.other_case)
        self.assertAlmostEqual(other.cost_dealer, 80.0)
        self.assertAlmostEqual(other.difference, -80.0)

    def test_paid_claim_counted_once(self):
        """A paid claim's approved amount is in the case's cost lines (the
        warranty paid the dealer): the difference subtracts it once."""
        claim = self._dealer_claim(
            self.lot_claim,
            ticket_id=self.case.id,
            failure_date=date(2026, 5, 1),
            repair_date=date(2026, 5, 4),
        )
        claim.action_submit()
        claim.line_ids.decision = "approved"
        claim.action_adjudicate()
        payable = self._report(self.case)
        self.assertAlmostEqual(payable.difference, -620.0 - payable.claim_approved)
        claim.with_user(self.finance).action_create_bills(
            date(2026, 5, 20)
        ).action_post()
        self.assertEqual(claim.state, "paid")
        claim_costs = sum(
            self.env["aftersales.cost.line"]
            .search(
                [
                    ("source_model", "=", "aftersales.claim"),
                    ("source_res_id", "=", claim.id),
                ]
            )
            .mapped("amount_company")
        )
        self.assertTrue(claim_costs)
        row = self._report(self.case)
        self.assertAlmostEqual(row.claim_paid, row.claim_approved)
        self.assertAlmostEqual(row.cost_total, 620.0 + claim_costs)
        self.assertAlmostEqual(row.difference, -620.0 - claim_costs)

    def test_excel_export_same_figures(self):
        self._customer_invoice(120.0)
        # the period of the cases: the day they were opened
        day = self._report(self.case).date
        wizard = (
            self.env["aftersales.finance.export.wizard"]
            .with_user(self.finance)
            .create({"date_from": day, "date_to": day})
        )
        action = wizard.action_export()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/web/content/")[1].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.active
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        self.assertEqual(header[0], "Case")
        self.assertIn("Customer Invoiced", header)
        self.assertIn("Difference", header)
        reports = self.env["aftersales.finance.report"].search(
            [("date", ">=", day), ("date", "<=", day)]
        )
        self.assertIn(self.case.id, reports.ticket_id.ids)
        by_case = {row[0]: row for row in rows[1:-1]}
        self.assertEqual(len(by_case), len(reports), "one row per case")
        for report in reports:
            row = by_case[report.ticket_id.display_name]
            self.assertEqual(row[8], report.currency_id.name)
            for index, name in enumerate(AMOUNT_COLUMNS):
                self.assertAlmostEqual(row[9 + index], report[name], msg=name)
        case_row = by_case[self.case.display_name]
        self.assertAlmostEqual(case_row[9 + AMOUNT_COLUMNS.index("invoiced")], 120.0)
        total = rows[-1]
        self.assertEqual(total[0], "Total")
        self.assertAlmostEqual(total[9], sum(reports.mapped("cost_total")))
        self.assertAlmostEqual(total[-1], sum(reports.mapped("difference")))
        # a filter on the dealer keeps its cases only
        wizard.dealer_id = self.dealer_hh
        book = openpyxl.load_workbook(io.BytesIO(wizard._xlsx_content()))
        names = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(names[:-1], [self.case.display_name])
