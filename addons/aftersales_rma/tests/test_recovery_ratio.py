from datetime import date

from odoo.tests import BaseCase

from ..tools import recovery_ratio


class TestRecoveryRatio(BaseCase):
    def test_most_specific_row_wins(self):
        rules = [
            (False, False, 30.0),
            (False, 7, 50.0),
            (False, 3, 60.0),
            (11, False, 80.0),
        ]
        # the product's own row
        self.assertEqual(recovery_ratio.pick_ratio(rules, 11, [7, 3]), 80.0)
        # the nearest category before its parent
        self.assertEqual(recovery_ratio.pick_ratio(rules, 12, [7, 3]), 50.0)
        self.assertEqual(recovery_ratio.pick_ratio(rules, 12, [9, 3]), 60.0)
        # the supplier's default
        self.assertEqual(recovery_ratio.pick_ratio(rules, 12, [9]), 30.0)

    def test_no_row_no_ratio(self):
        self.assertIsNone(recovery_ratio.pick_ratio([], 11, [7]))
        self.assertIsNone(recovery_ratio.pick_ratio([(11, False, 80.0)], 12, [7]))
        # a 0 % row is a ratio (the supplier bears nothing), not a missing one
        self.assertEqual(recovery_ratio.pick_ratio([(False, False, 0.0)], 12, []), 0.0)

    def test_amount_and_period(self):
        self.assertEqual(recovery_ratio.recovered_amount(200.0, 60.0), 120.0)
        self.assertEqual(recovery_ratio.recovered_amount(200.0, 0.0), 0.0)
        self.assertEqual(recovery_ratio.recovered_amount(False, 50.0), 0.0)
        self.assertEqual(
            recovery_ratio.period_start(date(2026, 2, 28)), date(2026, 2, 1)
        )
