"""Pure calculations of dealer warranty claims (no database, no ORM).

Used by ``aftersales.claim`` and ``aftersales.claim.line`` and tested by
``tests/test_claim_math.py`` without a database.
"""

from datetime import timedelta


def submission_deadline(repair_date, window_days):
    """Last day on which a claim on a repair done on ``repair_date`` may be
    submitted; ``None`` when there is no repair date or no window (0 days)."""
    if not repair_date or not window_days:
        return None
    return repair_date + timedelta(days=window_days)


def is_late(repair_date, submitted_on, window_days):
    """True when ``submitted_on`` is after the submission window."""
    deadline = submission_deadline(repair_date, window_days)
    return bool(deadline and submitted_on and submitted_on > deadline)


def labour_hours(flat_hours, extra_hours):
    """Hours claimed for a labour line: the flat rate plus the extra time."""
    return (flat_hours or 0.0) + (extra_hours or 0.0)


def capped(amount, cap):
    """``amount`` limited to ``cap``; a cap of 0 or ``None`` means no cap."""
    amount = amount or 0.0
    if cap and amount > cap:
        return cap
    return amount


def line_amount(cost_type, quantity, price_unit, hours, hourly_rate, travel_cap):
    """Amount claimed for one line: hours × hourly rate for labour, quantity ×
    price for parts and other costs, and the travel cost capped by the rate
    table's travel cap."""
    if cost_type == "labour":
        return (hours or 0.0) * (hourly_rate or 0.0)
    amount = (quantity or 0.0) * (price_unit or 0.0)
    if cost_type == "travel":
        return capped(amount, travel_cap)
    return amount


def hours_above_flat(flat_hours, hours):
    """Hours claimed above the flat-rate time (0 when there is no flat rate)."""
    if not flat_hours:
        return 0.0
    return max((hours or 0.0) - flat_hours, 0.0)


def adjudication_state(decisions):
    """State of a claim from the decisions of its lines (``approved``,
    ``reduced``, ``rejected``): ``approved`` when every line is approved in full,
    ``rejected`` when every line is rejected, ``partly_approved`` otherwise;
    ``None`` while a line is undecided or there is no line."""
    decisions = list(decisions)
    if not decisions or any(
        d not in ("approved", "reduced", "rejected") for d in decisions
    ):
        return None
    if all(d == "approved" for d in decisions):
        return "approved"
    if all(d == "rejected" for d in decisions):
        return "rejected"
    return "partly_approved"
