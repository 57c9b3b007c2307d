"""Failure rates of the quality loop (no database)."""


def failure_rate(failures, delivered):
    """Failures per 100 units delivered, or None without deliveries (a rate over
    nothing is no signal)."""
    if not delivered or delivered <= 0:
        return None
    return 100.0 * failures / delivered
