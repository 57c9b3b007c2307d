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


# Claim aging: the buckets of an open claim's age in days since its submission
# (since its creation while it was never submitted), as (upper bound, key); the
# last bucket has no bound. The SQL view ``aftersales.claim.aging.report`` is
# built from this list.
AGE_BUCKETS = [(7, "0_7"), (30, "8_30"), (60, "31_60"), (None, "over_60")]


def age_bucket(days):
    """The key of the age bucket of a claim ``days`` old (negative counts as 0)."""
    days = max(days or 0, 0)
    for bound, key in AGE_BUCKETS:
        if bound is None or days <= bound:
            return key
    return AGE_BUCKETS[-1][1]


def waiting_on(state, part_return_state, pay_before_return):
    """Whom an open claim waits on: ``dealer`` (draft or sent back), ``brand``
    (submitted, to decide), ``parts`` (approved, its faulty part not yet received
    and payment waits for it), ``finance`` (approved, to pay); ``None`` when the
    claim is closed (rejected or paid)."""
    if state in ("draft", "returned"):
        return "dealer"
    if state == "submitted":
        return "brand"
    if state in ("approved", "partly_approved"):
        if part_return_state == "waiting" and not pay_before_return:
            return "parts"
        return "finance"
    return None
