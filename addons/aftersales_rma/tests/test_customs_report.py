import re

from lxml import html

from odoo.tests import tagged
from odoo.tools.misc import formatLang

from .common_customs import CustomsCase

INVOICE = "aftersales_rma.action_report_aftersales_customs_invoice"
PACKING_LIST = "aftersales_rma.action_report_aftersales_packing_list"
NO_COMMERCIAL_VALUE = "No commercial value — value for customs purposes only"


def _text(node):
    """Text of an HTML node with its white space (and no-break spaces) collapsed."""
    return re.sub(r"\s+", " ", node.text_content().replace("\N{NO-BREAK SPACE}", " "))


@tagged("post_install", "-at_install")
class TestCustomsReport(CustomsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rma = cls._make_rma("replace", "covered")
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "DHL Express",
                "product_id": cls.env["product.product"]
                .create({"name": "DHL Express Freight", "type": "service"})
                .id,
            }
        )
        cls.shipment = cls._make_shipment(
            cls.rma,
            "hub_to_customer",
            carrier_id=cls.carrier.id,
            tracking_ref="1234567890",
            incoterm_id=cls.env.ref("account.incoterm_DAP").id,
            customs_reference="EX-2026-0042",
        )
        cls.shipment.action_fill_customs_lines()
        # the replacement unit picked for the customer
        cls.shipment.line_ids.lot_id = cls.env["stock.lot"].create(
            {"name": "SN-C52-0777", "product_id": cls.product.id}
        )
        cls.shipment.gross_weight = 2.4
        cls.shipment.package_count = 2

    def _render(self, report_ref, shipment=None, user=None):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(user or self.env.user)
            ._render_qweb_html(report_ref, (shipment or self.shipment).ids)
        )
        self.assertEqual(report_type, "html")
        return html.fromstring(content)

    def _money(self, amount, currency=None):
        text = formatLang(self.env, amount, currency_obj=currency or self.currency)
        return text.replace("\N{NO-BREAK SPACE}", " ")

    def _cells(self, doc, table_name):
        rows = doc.xpath(f"//table[@name='{table_name}']/tbody/tr")
        return [[_text(td).strip() for td in row.xpath("./td")] for row in rows]

    def test_proforma_invoice_for_warranty_exchange(self):
        self.assertEqual(self.shipment.export_reason, "warranty_exchange")
        doc = self._render(INVOICE)
        page = _text(doc)
        title = _text(doc.xpath("//div[hasclass('page')]/h2")[0]).strip()
        self.assertEqual(title, "Proforma Invoice")
        self.assertIn(NO_COMMERCIAL_VALUE, page)

        shipper = _text(doc.xpath("//div[@name='customs_shipper']")[0])
        for value in (
            "Sinomed Devices Co., Ltd.",
            "88 Zhangjiang Road",
            "Shanghai",
            "91310115MA1K4XYZ8Q",
            "+86 21 5080 1234",
        ):
            self.assertIn(value, shipper)
        consignee = _text(doc.xpath("//div[@name='customs_consignee']")[0])
        for value in ("Klinikum Nord GmbH", "Langenhorner Chaussee 560", "DE811191002"):
            self.assertIn(value, consignee)

        references = _text(doc.xpath("//div[@name='customs_references']")[0])
        for value in (
            self.shipment.name,
            self.rma.name,
            "DHL Express",
            "1234567890",
            "DAP",
            "EX-2026-0042",
            "Warranty Exchange (No Commercial Value)",
            self.currency.name,
        ):
            self.assertIn(value, references)

        self.assertEqual(
            self._cells(doc, "customs_lines"),
            [
                [
                    "1",
                    "Ultrasound Probe C5-2",
                    "SN-C52-0777",
                    "9018.12.00",
                    "China",
                    "1.00",
                    "0.85",
                    "0.85",
                    self._money(420.0),
                    self._money(420.0),
                ]
            ],
        )
        weights = _text(doc.xpath("//div[@name='customs_weights']")[0])
        self.assertRegex(weights, r"Number of Packages 2\b")
        self.assertIn("Total Net Weight (kg) 0.85", weights)
        self.assertIn("Total Gross Weight (kg) 2.40", weights)
        values = _text(doc.xpath("//div[@name='customs_values']")[0])
        self.assertIn(f"Total Declared Value {self._money(420.0)}", values)
        self.assertNotIn("Total of the Lines", values)  # same as the declared value
        signature = doc.xpath("//div[@name='customs_signature']")[0]
        self.assertIn("Signature", _text(signature))

    def test_commercial_invoice_for_sale(self):
        self.shipment.write({"export_reason": "sale", "declared_value": 1500.0})
        doc = self._render(INVOICE)
        title = _text(doc.xpath("//div[hasclass('page')]/h2")[0]).strip()
        self.assertEqual(title, "Commercial Invoice")
        self.assertNotIn(NO_COMMERCIAL_VALUE, _text(doc))
        values = _text(doc.xpath("//div[@name='customs_values']")[0])
        self.assertIn(f"Total of the Lines {self._money(420.0)}", values)
        self.assertIn(f"Total Declared Value {self._money(1500.0)}", values)

    def test_packing_list(self):
        # printed by a service user, not an administrator
        doc = self._render(PACKING_LIST, user=self.agent)
        title = _text(doc.xpath("//div[hasclass('page')]/h2")[0]).strip()
        self.assertEqual(title, "Packing List")
        self.assertEqual(
            self._cells(doc, "packing_lines"),
            [
                [
                    "1",
                    "Ultrasound Probe C5-2",
                    "SN-C52-0777",
                    "9018.12.00",
                    "China",
                    "1.00",
                    "0.85",
                    "0.85",
                ]
            ],
        )
        totals = _text(doc.xpath("//div[@name='packing_totals']")[0])
        self.assertRegex(totals, r"Number of Packages 2\b")
        self.assertIn("Total Net Weight (kg) 0.85", totals)
        self.assertIn("Total Gross Weight (kg) 2.40", totals)
        page = _text(doc)
        self.assertIn("Klinikum Nord GmbH", page)
        self.assertIn("Sinomed Devices Co., Ltd.", page)
        self.assertNotIn(self._money(420.0), page)  # no values on a packing list

    def test_several_shipments_in_one_print(self):
        repair = self._make_rma("repair")
        inbound = self._make_shipment(repair, "customer_to_hub")
        inbound.action_fill_customs_lines()
        content, __ = self.env["ir.actions.report"]._render_qweb_html(
            INVOICE, (self.shipment | inbound).ids
        )
        doc = html.fromstring(content)
        self.assertEqual(len(doc.xpath("//div[hasclass('page')]")), 2)
        # inbound: the customer ships, the company receives
        inbound_page = doc.xpath("//div[hasclass('page')]")[1]
        shipper = _text(inbound_page.xpath(".//div[@name='customs_shipper']")[0])
        consignee = _text(inbound_page.xpath(".//div[@name='customs_consignee']")[0])
        self.assertIn("Klinikum Nord GmbH", shipper)
        self.assertIn("Sinomed Devices Co., Ltd.", consignee)
        self.assertIn(
            "Return for Repair",
            _text(inbound_page.xpath(".//div[@name='customs_references']")[0]),
        )

    def test_rendered_in_customer_language(self):
        """A customer in China gets the documents in Chinese: labels of the
        templates and translatable record values (the product name)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        self.product.with_context(lang="zh_CN").name = "超声探头 C5-2"
        # the zh_CN catalogue of the addon comes later: translate the labels here
        labels = {
            "aftersales_rma.report_packing_list_document": {"Packing List": "装箱单"},
            "aftersales_rma.report_customs_invoice_document": {
                "Proforma Invoice": "形式发票"
            },
            "aftersales_rma.report_customs_header": {"Consignee / Importer": "收货人"},
        }
        arch_db = self.env["ir.ui.view"]._fields["arch_db"]
        for xmlid, translations in labels.items():
            view = self.env.ref(xmlid)
            terms = arch_db.get_trans_terms(view.arch_db)
            zh = {}
            for source, target in translations.items():
                term = next(term for term in terms if source in term)
                zh[term] = term.replace(source, target)
            view.update_field_translations("arch_db", {"zh_CN": zh})
        self.shipment.action_fill_customs_lines()  # descriptions in the new language
        self.assertEqual(self.shipment._get_customs_report_lang(), "zh_CN")

        doc = self._render(PACKING_LIST)
        article = doc.xpath("//div[hasclass('article')]")[0]
        self.assertEqual(article.get("data-oe-lang"), "zh_CN")
        title = _text(doc.xpath("//div[hasclass('page')]/h2")[0]).strip()
        self.assertEqual(title, "装箱单")
        self.assertIn("收货人", _text(doc.xpath("//div[@name='customs_consignee']")[0]))
        self.assertEqual(self._cells(doc, "packing_lines")[0][1], "超声探头 C5-2")

        doc = self._render(INVOICE)
        title = _text(doc.xpath("//div[hasclass('page')]/h2")[0]).strip()
        self.assertEqual(title, "形式发票")
        self.assertIn("超声探头 C5-2", _text(doc))

        # an English customer still gets English documents from the same templates
        self.customer.lang = "en_US"
        doc = self._render(PACKING_LIST)
        title = _text(doc.xpath("//div[hasclass('page')]/h2")[0]).strip()
        self.assertEqual(title, "Packing List")
