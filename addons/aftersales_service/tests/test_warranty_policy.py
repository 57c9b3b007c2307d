from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyRuleMatching(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Policy = cls.env["aftersales.warranty.policy"]
        (cls.rule_eu | cls.rule_world).active = False
        cls.de = cls.env.ref("base.de")
        cls.fr = cls.env.ref("base.fr")
        cls.ae = cls.env.ref("base.ae")
        cls.ng = cls.env.ref("base.ng")

    def _rule(self, name, **values):
        return self.Policy.create(dict({"name": name, "duration_months": 12}, **values))

    def _find(self, product, country):
        return self.Policy._find(self.company, product, country)

    def test_product_rule_beats_category_beats_generic(self):
        generic = self._rule("Every product", sequence=1)
        category = self._rule(
            "Medical devices", categ_id=self.categ_medical.id, sequence=1
        )
        product = self._rule(
            "USX-200",
            product_tmpl_id=self.product_us200.product_tmpl_id.id,
            sequence=50,
        )
        self.assertEqual(self._find(self.product_us200, self.de), product)
        # the product rule does not apply to another product of the category
        self.assertEqual(self._find(self.product_xr10, self.de), category)
        product.active = False
        self.assertEqual(self._find(self.product_us200, self.de), category)
        category.active = False
        self.assertEqual(self._find(self.product_us200, self.de), generic)
        # the registration takes the rule the same way
        warranty = self._register(self._lot("USX200-R1"))
        self.assertEqual(warranty.policy_id, generic)

    def test_registration_takes_most_specific_rule(self):
        self._rule("Every product", sequence=1, duration_months=6)
        product = self._rule(
            "USX-200",
            product_tmpl_id=self.product_us200.product_tmpl_id.id,
            duration_months=36,
        )
        warranty = self._register(self._lot("USX200-R2"))
        self.assertEqual(warranty.policy_id, product)
        self.assertEqual(warranty.date_end, date(2029, 1, 30))

    def test_deeper_category_beats_parent(self):
        medical = self._rule(
            "Medical devices", categ_id=self.categ_medical.id, sequence=1
        )
        ultrasound = self._rule(
            "Ultrasound", categ_id=self.categ_ultrasound.id, sequence=30
        )
        imaging = self._rule("Imaging", categ_id=self.categ_imaging.id, sequence=20)
        self.assertEqual(self._find(self.product_us200, self.de), ultrasound)
        # an X-ray unit is imaging, not ultrasound
        self.assertEqual(self._find(self.product_xr10, self.de), imaging)
        imaging.active = False
        self.assertEqual(self._find(self.product_xr10, self.de), medical)
        # a rule of a sub-category never applies to a product of its parent
        other = self.env["product.category"].create({"name": "Other"})
        self.product_xr10.categ_id = other
        self.assertFalse(self._find(self.product_xr10, self.de))

    def test_country_rule_beats_worldwide(self):
        world = self._rule("Worldwide", sequence=1)
        europe = self._rule(
            "Europe",
            sequence=20,
            country_group_ids=[Command.set(self.env.ref("base.europe").ids)],
        )
        gulf = self._rule("UAE", sequence=30, country_ids=[Command.set(self.ae.ids)])
        self.assertEqual(self._find(self.product_us200, self.fr), europe)
        self.assertEqual(self._find(self.product_us200, self.ae), gulf)
        self.assertEqual(self._find(self.product_us200, self.ng), world)
        # no country known: only a worldwide rule applies
        self.assertEqual(self._find(self.product_us200, self.env["res.country"]), world)
        # the customer's country decides the registration's rule
        warranty_ng = self._register(self._lot("USX200-C1"), self.customer_ng)
        warranty_ae = self._register(self._lot("USX200-C2"), self.customer_ae)
        self.assertEqual(warranty_ng.country_id, self.ng)
        self.assertEqual(warranty_ng.policy_id, world)
        self.assertEqual(warranty_ae.policy_id, gulf)

    def test_category_rank_comes_before_country(self):
        # documented order: product, then category depth, then countries
        world_ultrasound = self._rule(
            "Ultrasound", categ_id=self.categ_ultrasound.id, sequence=9
        )
        self._rule(
            "Imaging Germany",
            categ_id=self.categ_imaging.id,
            sequence=1,
            country_ids=[Command.set(self.de.ids)],
        )
        self.assertEqual(self._find(self.product_us200, self.de), world_ultrasound)

    def test_sequence_breaks_ties(self):
        late = self._rule("Generic B", sequence=5)
        early = self._rule("Generic A", sequence=3)
        self.assertEqual(self._find(self.product_us200, self.de), early)
        early.sequence = 7
        self.assertEqual(self._find(self.product_us200, self.de), late)
        # same sequence: the older rule
        early.sequence = 5
        self.assertEqual(self._find(self.product_us200, self.de), late)

    def test_inactive_rules_are_ignored(self):
        generic = self._rule("Generic", sequence=1)
        product = self._rule(
            "USX-200",
            product_tmpl_id=self.product_us200.product_tmpl_id.id,
            active=False,
        )
        self.assertEqual(self._find(self.product_us200, self.de), generic)
        generic.active = False
        self.assertFalse(self._find(self.product_us200, self.de))
        warranty = self._register(self._lot("USX200-I1"))
        self.assertFalse(warranty.policy_id)
        self.assertFalse(warranty.date_end)
        product.active = True
        self.assertEqual(self._find(self.product_us200, self.de), product)

    def test_other_company_rules_are_ignored(self):
        company_b = self.env["res.company"].create({"name": "Aftersales Asia"})
        self._rule("Asia", company_id=company_b.id, sequence=1)
        mine = self._rule("Mine", sequence=50)
        self.assertEqual(self._find(self.product_us200, self.de), mine)


@tagged("post_install", "-at_install")
class TestWarrantyDates(WarrantyCase):
    """Delivery 2026-01-10, invoice 2026-01-05, registration 2026-01-20,
    installation 2026-02-01."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_world.active = False
        cls.rule = cls.rule_eu
        cls.dates = {
            "delivery_date": date(2026, 1, 10),
            "invoice_date": date(2026, 1, 5),
            "registration_date": date(2026, 1, 20),
            "installation_date": date(2026, 2, 1),
        }

    def _registration(self, name, **values):
        return self._register(self._lot(name), **dict(self.dates, **values))

    def test_each_start_basis(self):
        expected = {
            "delivery": (date(2026, 1, 10), date(2028, 1, 9)),
            "invoice": (date(2026, 1, 5), date(2028, 1, 4)),
            "registration": (date(2026, 1, 20), date(2028, 1, 19)),
            "installation": (date(2026, 2, 1), date(2028, 1, 31)),
        }
        for index, (basis, (start, end)) in enumerate(expected.items()):
            with self.subTest(basis=basis):
                self.rule.start_basis = basis
                warranty = self._registration(f"USX200-B{index}")
                self.assertEqual(warranty.policy_id, self.rule)
                self.assertEqual((warranty.date_start, warranty.date_end), (start, end))

    def test_missing_basis_date_falls_back_to_delivery_then_registration(self):
        self.rule.start_basis = "installation"
        warranty = self._registration("USX200-F1", installation_date=False)
        self.assertEqual(warranty.date_start, date(2026, 1, 10))
        self.rule.start_basis = "invoice"
        warranty = self._registration(
            "USX200-F2", invoice_date=False, delivery_date=False
        )
        self.assertEqual(warranty.date_start, date(2026, 1, 20))
        self.assertEqual(warranty.date_end, date(2028, 1, 19))
        # the installation date arrives later: the warranty moves with it
        self.rule.start_basis = "installation"
        warranty = self._registration("USX200-F3", installation_date=False)
        warranty.installation_date = date(2026, 3, 15)
        self.assertEqual(warranty.date_start, date(2026, 3, 15))
        self.assertEqual(warranty.date_end, date(2028, 3, 14))

    def test_end_is_start_plus_months_minus_one_day(self):
        warranty = self._registration("USX200-E1", delivery_date=date(2026, 1, 31))
        self.assertEqual(warranty.date_end, date(2028, 1, 30))
        self.rule.duration_months = 1
        warranty.delivery_date = date(2026, 3, 1)
        self.assertEqual(warranty.date_end, date(2026, 3, 31))
        self.rule.duration_months = 12
        self.assertEqual(warranty.date_end, date(2027, 2, 28))

    def test_late_registration_gets_fallback_duration(self):
        self.rule.write({"registration_window_days": 30, "fallback_months": 6})
        in_time = self._registration(
            "USX200-L1", registration_date=date(2026, 2, 9)
        )  # day 30
        self.assertFalse(in_time.late_registration)
        self.assertEqual(in_time.date_end, date(2028, 1, 9))
        late = self._registration(
            "USX200-L2", registration_date=date(2026, 2, 10)
        )  # day 31
        self.assertTrue(late.late_registration)
        self.assertEqual(late.date_start, date(2026, 1, 10))
        self.assertEqual(late.date_end, date(2026, 7, 9))
        # without a window every registration gets the full duration
        self.rule.registration_window_days = 0
        self.assertFalse(late.late_registration)
        self.assertEqual(late.date_end, date(2028, 1, 9))

    def test_bad_rule_values_are_refused(self):
        bad_values = [
            {"duration_months": 0},
            {"duration_months": -12},
            {"parts_coverage": 100.5},
            {"labour_coverage": -1},
            {"travel_coverage": 150},
            {"deductible_amount": -50},
            {"registration_window_days": -1},
            {"fallback_months": -3},
        ]
        for values in bad_values:
            with self.subTest(values=values):
                with self.assertRaises(ValidationError):
                    self.env["aftersales.warranty.policy"].create(
                        dict({"name": "Bad rule"}, **values)
                    )
                with self.assertRaises(ValidationError):
                    self.rule.write(values)
        self.assertEqual(self.rule.duration_months, 24)
