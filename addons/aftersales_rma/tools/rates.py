"""One conversion rate per currency pair, company and day for a whole batch."""


class RateCache:
    """The rates Odoo's ``currency._convert(amount, to, company, day)`` uses,
    each read once for a batch (``_convert`` reads them again for every amount).
    ``env`` is an Odoo environment (anything whose ``["res.currency"]`` has
    ``_get_conversion_rate``)."""

    def __init__(self, env):
        self._currency = env["res.currency"]
        self._rates = {}

    def rate(self, from_currency, to_currency, company, day):
        key = (from_currency.id, to_currency.id, company.id, day)
        if key not in self._rates:
            self._rates[key] = self._currency._get_conversion_rate(
                from_currency, to_currency, company, day
            )
        return self._rates[key]

    def convert(self, amount, from_currency, to_currency, company, day):
        """``amount`` in ``to_currency``, rounded to it."""
        return to_currency.round(
            amount * self.rate(from_currency, to_currency, company, day)
        )
