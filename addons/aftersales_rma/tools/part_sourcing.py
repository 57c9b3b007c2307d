"""Where a spare part is taken from, as a pure function (README, "Spare parts
for a case").

The candidates are the warehouses that source spare parts (the central
warehouse, an overseas bonded warehouse, a dealer's consignment stock, an
engineer's van), each with its country, the quantity of the part it has on hand
and its lead time in days to the case. The rule:

1. only a warehouse that has the whole quantity on hand can send it; when none
   has, the part is bought (``rank_sources`` answers an empty list);
2. among those, a warehouse in the case's country comes first;
3. then the one with more of the part on hand;
4. then the one with the shorter lead time;
5. then the lower sequence (the order the candidates are configured in).
"""

from collections import namedtuple

Candidate = namedtuple(
    "Candidate", ["key", "country", "on_hand", "lead_days", "sequence"]
)
Candidate.__new__.__defaults__ = (0, 0, 0)


def can_serve(candidate, quantity):
    """The candidate has the whole ``quantity`` on hand."""
    return quantity > 0 and (candidate.on_hand or 0) >= quantity


def sort_key(candidate, country):
    """The order of the rule's steps 2 to 5 (lower is better)."""
    return (
        0 if country and candidate.country == country else 1,
        -(candidate.on_hand or 0),
        candidate.lead_days or 0,
        candidate.sequence or 0,
    )


def rank_sources(candidates, country, quantity):
    """The candidates that can send ``quantity`` of the part to a case in
    ``country``, best first; empty when the part has to be bought."""
    able = [c for c in candidates if can_serve(c, quantity)]
    return sorted(able, key=lambda c: sort_key(c, country))


def best_source(candidates, country, quantity):
    """The key of the best candidate, None when the part has to be bought."""
    ranked = rank_sources(candidates, country, quantity)
    return ranked[0].key if ranked else None
