"""The warranty rule as pure calculations (no database): the status of a
registration on a date and the decision it suggests for a claim. Used by
``aftersales.warranty`` (``_status_on``, ``_decision_for``, ``check_serial``) and,
through it, by the ticket, the RMA line and the serial number."""

VOID = "void"
DRAFT = "draft"
# states whose registration covers the dates of its period (an expired one did)
COVERING_STATES = ("active", "expired")


def warranty_status(state, date_start, date_end, on_date):
    """Status of a registration in ``state`` running from ``date_start`` to
    ``date_end`` (dates, inclusive) on ``on_date``:

    ``void``; ``out`` without a period (no warranty rule) or before its start;
    ``expired`` after its end; ``pending`` within its period while the
    registration awaits its proof of purchase (state ``draft``); ``in`` within
    the period of an active (or since expired) registration.
    """
    if state == VOID:
        return "void"
    if not date_start or not date_end:
        return "out"
    if on_date > date_end:
        return "expired"
    if on_date < date_start:
        return "out"
    if state == DRAFT:
        return "pending"
    if state in COVERING_STATES:
        return "in"
    return "out"


def warranty_decision(status, parts, labour, deductible):
    """Decision for a claim on a serial of warranty ``status`` whose registration
    covers ``parts`` and ``labour`` (percentages) with a ``deductible``:
    ``covered`` when in warranty with everything covered and no deductible,
    ``partial`` when in warranty otherwise, ``chargeable`` in every other status
    (pending proof included)."""
    if status != "in":
        return "chargeable"
    if (parts or 0.0) >= 100 and (labour or 0.0) >= 100 and not deductible:
        return "covered"
    return "partial"
