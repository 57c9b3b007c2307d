"""Pure calculations of supplier recoveries (no database, no ORM).

Used by ``aftersales.recovery.ratio`` and ``aftersales.recovery`` and tested by
``tests/test_recovery_ratio.py`` without a database.
"""

from datetime import date


def pick_ratio(rules, product_id, categ_ids):
    """The responsibility ratio (%) of a supplier for one product, or ``None``.

    ``rules`` are the supplier's rows as ``(product_id, categ_id, ratio)`` with
    ``False``/``None`` where a row has no product or category; ``categ_ids`` are
    the product's category and its parents, nearest first. The most specific row
    wins: the product's, else the nearest category's, else the supplier's
    default (neither product nor category)."""
    by_product, by_categ, default = {}, {}, None
    for rule_product, rule_categ, ratio in rules:
        if rule_product:
            by_product.setdefault(rule_product, ratio)
        elif rule_categ:
            by_categ.setdefault(rule_categ, ratio)
        elif default is None:
            default = ratio
    if product_id in by_product:
        return by_product[product_id]
    for categ_id in categ_ids or ():
        if categ_id in by_categ:
            return by_categ[categ_id]
    return default


def recovered_amount(amount, ratio):
    """The share ``ratio`` (%) of ``amount`` the supplier is asked for."""
    return (amount or 0.0) * (ratio or 0.0) / 100.0


def period_start(day):
    """The first day of the month of ``day``: recoveries are grouped per month."""
    return date(day.year, day.month, 1)
