import io

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from .common_customs import CustomsCase


@tagged("post_install", "-at_install")
class TestCustomsPdf(HttpCase, CustomsCase):
    """Smoke test: the documents go through wkhtmltopdf as the Print button
    makes them. Their content is checked on the HTML (test_customs_report): with
    the web fonts of the report assets, wkhtmltopdf draws the text as paths, so
    it cannot be read back from the PDF.
    """

    def _pdf_pages(self, report_ref, shipments):
        # tests render HTML instead of PDF unless asked otherwise
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, shipments.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return len(PdfReader(io.BytesIO(pdf), strict=False).pages)

    def test_pdf_documents(self):
        exchange = self._make_shipment(
            self._make_rma("replace", "covered"), "hub_to_customer"
        )
        inbound = self._make_shipment(self._make_rma("repair"), "customer_to_hub")
        (exchange | inbound).action_fill_customs_lines()
        invoice = "aftersales_rma.action_report_aftersales_customs_invoice"
        packing_list = "aftersales_rma.action_report_aftersales_packing_list"
        self.assertEqual(self._pdf_pages(invoice, exchange), 1)
        self.assertEqual(self._pdf_pages(packing_list, exchange), 1)
        self.assertEqual(self._pdf_pages(invoice, inbound), 1)
        # Several shipments in one PDF are not tested: the unpatched wkhtmltopdf
        # of this machine returns an empty file for any multi-record report
        # (Odoo's delivery slip too); test_customs_report checks it on the HTML.
