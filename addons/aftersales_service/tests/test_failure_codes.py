from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestFailureCodes(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.imaging = Category.create({"name": "Imaging"})
        cls.probes = Category.create({"name": "Probes", "parent_id": cls.imaging.id})
        cls.pumps = Category.create({"name": "Pumps"})
        cls.probe = cls.env["product.product"].create(
            {"name": "Convex probe C5", "categ_id": cls.probes.id}
        )
        Code = cls.env["aftersales.failure.code"]
        cls.symptom = Code.create(
            {"kind": "symptom", "code": "T-S1", "name": "No image"}
        )
        cls.cause = Code.create(
            {
                "kind": "cause",
                "code": "T-C1",
                "name": "Cable broken",
                "categ_ids": [(6, 0, cls.imaging.ids)],
            }
        )
        cls.pump_cause = Code.create(
            {
                "kind": "cause",
                "code": "T-C2",
                "name": "Valve stuck",
                "categ_ids": [(6, 0, cls.pumps.ids)],
            }
        )
        cls.remedy = Code.create(
            {"kind": "remedy", "code": "T-R1", "name": "Part replaced"}
        )
        cls.type_repair.failure_codes_required = True
        cls.cancelled = cls.env.ref("aftersales_service.stage_cancelled")

    def _repair_ticket(self, **values):
        return self._ticket(
            ticket_type_id=self.type_repair.id, product_id=self.probe.id, **values
        )

    def test_closing_a_repair_needs_a_cause_and_a_remedy(self):
        ticket = self._repair_ticket()
        with self.assertRaisesRegex(UserError, "cause and a remedy"):
            ticket.stage_id = self.stage_closed
        ticket.cause_code_id = self.cause
        with self.assertRaisesRegex(UserError, "cause and a remedy"):
            ticket.stage_id = self.stage_resolved
        ticket.remedy_code_id = self.remedy
        ticket.stage_id = self.stage_closed
        self.assertTrue(ticket.close_date)
        # a closed ticket keeps its codes
        with self.assertRaisesRegex(UserError, "cause and a remedy"):
            ticket.remedy_code_id = False

    def test_cancelling_or_other_types_need_no_codes(self):
        self._repair_ticket().stage_id = self.cancelled
        question = self._ticket(ticket_type_id=self.type_question.id)
        question.stage_id = self.stage_closed
        self.assertTrue(question.close_date)
        self.type_repair.failure_codes_required = False
        self._repair_ticket().stage_id = self.stage_closed

    def test_codes_of_the_products_category_and_kind(self):
        ticket = self._repair_ticket()
        # a code of the parent category fits the probe; a pump's code does not
        ticket.cause_code_id = self.cause
        with self.assertRaisesRegex(ValidationError, "not for products"):
            ticket.cause_code_id = self.pump_cause
        with self.assertRaisesRegex(ValidationError, "not a failure code of the kind"):
            ticket.symptom_code_id = self.remedy
        # the form's domain offers the same codes
        ticket.flush_recordset()
        domain_codes = self.env["aftersales.failure.code"].search(
            [
                ("kind", "=", "cause"),
                "|",
                ("categ_ids", "=", False),
                ("categ_ids", "parent_of", ticket.aftersales_failure_categ_id.id),
            ]
        )
        self.assertIn(self.cause, domain_codes)
        self.assertNotIn(self.pump_cause, domain_codes)

    def test_names_translated_and_searched_by_code(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.cause.with_context(lang="zh_CN").name = "电缆断裂"
        self.assertEqual(self.cause.with_context(lang="zh_CN").name, "电缆断裂")
        self.assertEqual(self.cause.name, "Cable broken")
        self.assertEqual(self.cause.display_name, "[T-C1] Cable broken")
        Code = self.env["aftersales.failure.code"]
        self.assertIn(self.cause, Code.search([("display_name", "ilike", "T-C1")]))

    def test_access(self):
        Code = self.env["aftersales.failure.code"]
        self.assertTrue(Code.with_user(self.agent).search_count([]))
        with self.assertRaises(AccessError):
            Code.with_user(self.agent).create(
                {"kind": "cause", "code": "X", "name": "Agent's code"}
            )
        with self.assertRaises(AccessError):
            self.cause.with_user(self.agent).name = "Renamed"
        code = Code.with_user(self.manager).create(
            {"kind": "cause", "code": "M-1", "name": "Manager's code"}
        )
        self.assertTrue(code.exists())
