from odoo.tests import BaseCase

from ..tools.rates import RateCache


class _Currency:
    def __init__(self, id_, digits=2):
        self.id = id_
        self.digits = digits

    def round(self, amount):
        return round(amount, self.digits)


class _Company:
    id = 1


class _Rates:
    """What ``res.currency`` answers, counting the questions."""

    def __init__(self):
        self.calls = []

    def _get_conversion_rate(self, from_currency, to_currency, company, day):
        self.calls.append((from_currency.id, to_currency.id, company.id, day))
        return {(1, 2): 1.5, (2, 1): 1 / 1.5}.get(
            (from_currency.id, to_currency.id), 1.0
        )


class TestRateCache(BaseCase):
    """No database: a rate is asked once per pair, company and day."""

    def test_one_question_per_pair_company_and_day(self):
        rates_model = _Rates()
        cache = RateCache({"res.currency": rates_model})
        eur, usd, company = _Currency(1), _Currency(2), _Company()
        self.assertEqual(cache.convert(10.0, eur, usd, company, "2026-12-01"), 15.0)
        self.assertEqual(cache.convert(3.0, eur, usd, company, "2026-12-01"), 4.5)
        self.assertEqual(cache.convert(15.0, usd, eur, company, "2026-12-01"), 10.0)
        self.assertEqual(cache.convert(2.0, eur, usd, company, "2026-12-02"), 3.0)
        self.assertEqual(
            rates_model.calls,
            [
                (1, 2, 1, "2026-12-01"),
                (2, 1, 1, "2026-12-01"),
                (1, 2, 1, "2026-12-02"),
            ],
        )
