"""One matching rule, "the most specific rule wins", for SLA policies, warranty
rules and RMA templates (README, "The matching rule"), as pure functions.

A rule applies to a document when every criterion it sets matches the document.
A rule's countries are the countries it lists and the countries of its country
groups; they are matched against the document's country (the contact's own
country, else its company's: the commercial partner's). Among the rules that
apply the most specific wins: each model compares its criteria in its own order
(``specificity`` tuples, compared left to right, greater is more specific) and
ends with the countries, where a rule listing the country beats a rule reaching
it through a country group, which beats a rule without countries; then the lowest
sequence, then the oldest rule.
"""

# how precisely a rule's countries name the document's country
COUNTRY_ANY = 0  # the rule names no country: it applies everywhere
COUNTRY_IN_GROUP = 1  # the country is in one of the rule's country groups
COUNTRY_LISTED = 2  # the rule lists the country itself


def country_precision(country_id, listed_ids, group_country_ids):
    """``COUNTRY_LISTED``, ``COUNTRY_IN_GROUP`` or ``COUNTRY_ANY`` for a rule
    listing the countries ``listed_ids`` and the country groups whose countries
    are ``group_country_ids``, matched against ``country_id`` (falsy: unknown);
    ``None`` when the rule does not apply (it names countries, not this one)."""
    if not listed_ids and not group_country_ids:
        return COUNTRY_ANY
    if country_id and country_id in listed_ids:
        return COUNTRY_LISTED
    if country_id and country_id in group_country_ids:
        return COUNTRY_IN_GROUP
    return None


def category_depth(categ_path, rule_categ_path):
    """Depth of a rule's category (its ``parent_path``, e.g. ``"1/4/"``) when it is
    the product's category (``categ_path``) or one of its parents, 0 for a rule
    without category, ``None`` when the rule does not apply."""
    if not rule_categ_path:
        return 0
    if categ_path and categ_path.startswith(rule_categ_path):
        return rule_categ_path.count("/")
    return None


def most_specific(candidates):
    """The payload of the most specific candidate, ``None`` when none applies.

    ``candidates``: iterable of ``(specificity, sequence, rule_id, payload)``;
    ``specificity`` is a tuple of numbers (greater is more specific, compared left
    to right) or ``None`` for a rule that does not apply. Ties go to the lowest
    sequence, then to the lowest id (the oldest rule).
    """
    best_key, best = None, None
    for specificity, sequence, rule_id, payload in candidates:
        if specificity is None:
            continue
        key = (tuple(-value for value in specificity), sequence, rule_id)
        if best_key is None or key < best_key:
            best_key, best = key, payload
    return best
