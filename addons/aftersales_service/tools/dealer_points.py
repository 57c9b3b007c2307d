"""Dealer incentive points: which rules an event earns and the ledger lines that
are still due (no database).

An event is one source document of a dealer (a ticket, a warranty registration,
with aftersales_rma a claim) and the rules it fulfils. Each rule is worth the
points of the company's settings: earning rules add them, losing rules
(``LOSS_RULES``) take them off, whatever the sign typed in the setting. A rule
worth 0 points is off. A source earns a rule once: the key
``(dealer, rule, model, id)`` of a line already in the ledger, or met earlier in
the same batch, is not due again.
"""

LOSS_RULES = frozenset({"claim_rejected", "claim_suspicious"})


def signed_points(rule, value):
    """The points a line of ``rule`` books for the setting ``value``."""
    value = abs(int(value or 0))
    return -value if rule in LOSS_RULES else value


def ticket_rules(dealer, sla_state=None, rating=None):
    """The rules a ticket of a dealer fulfils: its SLA met, a 5-star rating."""
    if not dealer:
        return []
    rules = []
    if sla_state == "met":
        rules.append("sla_met")
    if rating and rating >= 5:
        rules.append("five_star")
    return rules


def registration_rules(dealer, window_days=0, late=False, void=False):
    """A registration of a dealer within the warranty rule's window (a rule
    without a window has none to keep)."""
    if not dealer or void or not window_days or late:
        return []
    return ["registration_on_time"]


def claim_rules(dealer, state=None, suspicious=False):
    """The losses of a dealer's claim: rejected, flagged suspicious (a draft is
    not submitted yet: no loss)."""
    if not dealer or state in (None, "draft"):
        return []
    rules = []
    if state == "rejected":
        rules.append("claim_rejected")
    if suspicious:
        rules.append("claim_suspicious")
    return rules


def due_points(events, points_per_rule, earned=frozenset()):
    """The ledger lines due for ``events``.

    ``events``: iterable of ``(dealer id, rule, model, id, date)``;
    ``points_per_rule``: ``{rule: setting value}``; ``earned``: the keys
    ``(dealer id, rule, model, id)`` already in the ledger. Returns a list of
    ``(dealer id, rule, model, id, date, signed points)`` in the order of the
    events, each key once, rules worth no points left out.
    """
    seen = set(earned)
    due = []
    for dealer, rule, model, res_id, day in events:
        points = signed_points(rule, points_per_rule.get(rule))
        key = (dealer, rule, model, res_id)
        if not points or key in seen:
            continue
        seen.add(key)
        due.append((dealer, rule, model, res_id, day, points))
    return due
