"""When to wake a queue's cron: at once for the first transaction of a while,
then one trigger for the end of a window shared by the transactions that follow.

A trigger "for now" makes Odoo notify the cron workers on a connection of its
own; a trigger for later is taken at their next wake-up (they poll at least once
a minute). Under a stream of one-ticket transactions this keeps the triggers to
at most two per window instead of one (with its notification) per transaction.
"""

from datetime import timedelta

TRIGGER_NOW = "now"
TRIGGER_LATER = "later"
TRIGGER_NONE = "none"


def next_trigger(state, now, window=10, margin=2):
    """``(kind, at)`` for a transaction committing at ``now``.

    ``state``: ``{"immediate": when the last trigger for now was committed,
    "deferred": the time of the last trigger committed for later}`` (either may
    be missing). ``kind`` is TRIGGER_NOW (``at`` is None), TRIGGER_LATER (``at``
    is the end of the window) or TRIGGER_NONE: a deferred trigger still ahead by
    more than ``margin`` seconds runs after this commit anyway.
    """
    deferred = state.get("deferred")
    if deferred and deferred > now + timedelta(seconds=margin):
        return TRIGGER_NONE, deferred
    immediate = state.get("immediate")
    if immediate and now - immediate < timedelta(seconds=window):
        return TRIGGER_LATER, now + timedelta(seconds=window)
    return TRIGGER_NOW, None
