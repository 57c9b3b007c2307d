"""The warranty's share and the customer's share of a partly covered repair, as
pure functions (README, "Partly covered repairs").

A partly covered repair is quoted to the customer at list price with the
warranty's coverage as the line's discount: the line shows what the part or the
hour costs, the discount what the warranty pays, the subtotal what the customer
pays. The policy's deductible is a line of its own on the quotation.
"""

# the kinds of quotation lines, each covered by its own percentage
PARTS = "parts"
LABOUR = "labour"


def coverage_discount(coverage_pct):
    """The discount (in %) that leaves the customer the share the warranty does
    not cover: the coverage itself, kept within 0-100."""
    return min(max(coverage_pct or 0.0, 0.0), 100.0)


def split_amount(amount, coverage_pct, rounding=0.01):
    """``(warranty share, customer share)`` of ``amount`` covered at
    ``coverage_pct`` %, each rounded to ``rounding``; the two add up to the
    rounded amount (the customer's share takes the rounding difference)."""

    def to_rounding(value):
        return round(round(value / rounding) * rounding, 10)

    total = to_rounding(amount)
    warranty = to_rounding(total * coverage_discount(coverage_pct) / 100.0)
    return warranty, to_rounding(total - warranty)
