"""The dealer grade: a weighted score of the scorecard's ratios (no database).

Weights: SLA attainment 40 %, CSAT 30 % (1 star = 0, 5 stars = 100), first-time
fix 20 %, registrations on time 10 %. A component without data (no closed ticket,
no rating, no registration) leaves the score; the others are weighted up to 100 %.
Grade A from the A threshold (default 85), B from the B threshold (default 70),
else C; no data at all: no grade.
"""

WEIGHTS = (
    ("sla_attained", 0.4),
    ("csat", 0.3),
    ("first_time_fix", 0.2),
    ("registration_on_time", 0.1),
)


def grade_score(
    sla_attained=None, csat=None, first_time_fix=None, registration_on_time=None
):
    """The score 0-100 from the ratios (0-1; CSAT in stars 1-5), or None."""
    values = {
        "sla_attained": sla_attained,
        "csat": None if csat is None else max(0.0, min(1.0, (csat - 1) / 4)),
        "first_time_fix": first_time_fix,
        "registration_on_time": registration_on_time,
    }
    weighted = [
        (values[name], weight) for name, weight in WEIGHTS if values[name] is not None
    ]
    total = sum(weight for _value, weight in weighted)
    if not total:
        return None
    return 100.0 * sum(value * weight for value, weight in weighted) / total


def grade_of(score, threshold_a=85.0, threshold_b=70.0):
    """'A', 'B', 'C' for a score, None without one."""
    if score is None:
        return None
    if score >= threshold_a:
        return "A"
    if score >= threshold_b:
        return "B"
    return "C"
