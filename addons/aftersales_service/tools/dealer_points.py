"""Dealer incentive points: which rules an event earns and the ledger lines that
are still due (no database).

An event is one source document of a dealer (a ticket, a warranty registration,
with aftersales_rma a claim) and the rules it fulfils. Each rule is worth the
points of the company's settings: earning rules add them, losing rules
(``LOSS_RULES``) take them off, whatever the sign typed in the setting. A rule
worth 0 points is off. A source earns a rule once: the key
``(dealer, rule, model, id)`` of a line already in the ledger, or met earlier in
the same batch, is not due again.

Points reverse when their source changes. The lines of one key form a history
numbered by ``step``: 0 the first earning, 1 its reversal, 2 the next earning,
3 its reversal... (even: an earning, odd: a reversal). A key is *live* while
its last step is even. A live line whose source changed (or was deleted) and no
longer fulfils the rule for that dealer gets one reversing line (the next step,
the opposite points); if the rule holds again later, the key earns again at the
step after the reversal. The ledger is unique per ``(key, step)``, so a state
is never booked twice.
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


def ticket_kept_rules(dealer, sla_state=None):
    """The rules a ticket keeps once earned without fulfilling them now: its SLA
    met while reopened and still on track or at risk (it is lost when the SLA
    breaches, fails or the ticket is cancelled)."""
    if dealer and sla_state in ("on_track", "at_risk"):
        return ["sla_met"]
    return []


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


def last_steps(lines):
    """``{key: last step}`` of ledger ``lines`` given as ``(dealer id, rule,
    model, id, step)``."""
    steps = {}
    for dealer, rule, model, res_id, step in lines:
        key = (dealer, rule, model, res_id)
        if step > steps.get(key, -1):
            steps[key] = step
    return steps


def live_keys(steps):
    """The keys of ``{key: last step}`` whose last line is an earning."""
    return {key for key, step in steps.items() if step % 2 == 0}


def next_step(steps, key):
    """The step of the next line of ``key``: 0 for a first line."""
    return steps[key] + 1 if key in steps else 0


def reversals(live_lines, holding, changed, dealers):
    """The live lines to reverse and why.

    ``live_lines``: iterable of ``(line id, dealer id, rule, model, id)``, the
    earnings not reversed yet; ``holding``: the keys ``(dealer id, rule, model,
    id)`` the sources fulfil now; ``changed``: the sources ``(model, id)``
    looked at (changed since the last runs, or deleted): a line of a source
    outside it is left alone; ``dealers``: ``{(model, id): dealer id or
    False}`` of the sources that still exist. Returns ``[(line id, reason,
    dealer now)]`` in the order of the lines, ``reason`` one of ``"deleted"``,
    ``"dealer_changed"``, ``"rule_lost"``.
    """
    result = []
    for line_id, dealer, rule, model, res_id in live_lines:
        source = (model, res_id)
        if source not in changed or (dealer, rule, model, res_id) in holding:
            continue
        if source not in dealers:
            result.append((line_id, "deleted", False))
        elif dealers[source] != dealer:
            result.append((line_id, "dealer_changed", dealers[source]))
        else:
            result.append((line_id, "rule_lost", dealer))
    return result


def due_points(events, points_per_rule, earned=frozenset()):
    """The ledger lines due for ``events``.

    ``events``: iterable of ``(dealer id, rule, model, id, date)``;
    ``points_per_rule``: ``{rule: setting value}``; ``earned``: the keys
    ``(dealer id, rule, model, id)`` live in the ledger (``live_keys``: a
    reversed key earns again). Returns a list of
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
