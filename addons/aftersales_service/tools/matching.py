"""One matching rule, "the most specific rule wins", for SLA policies, warranty
rules and RMA templates (README, "The matching rule"), as pure functions.

A rule applies to a document when every criterion it sets matches the document.
A rule's countries are the countries it lists and the countries of its country
groups; they are matched against the document's country (the contact's own
country, else its company's: the commercial partner's). Among the rules that
apply the most specific wins: each model compares its criteria in its own order
(``specificity`` tuples, compared left to right, greater is more specific), the
countries being one criterion where a listed country weighs more than a country
reached through a country group; then the lowest sequence, then the oldest rule.
"""

# how precisely a rule's countries name the document's country
COUNTRY_ANY = 0  # the rule names no country: it applies everywhere
COUNTRY_IN_GROUP = 1  # the country is in one of the rule's country groups
COUNTRY_LISTED = 2  # the rule lists the country itself


def country_precision(country_id, listed_ids, has_groups, group_country_ids):
    """``COUNTRY_LISTED``, ``COUNTRY_IN_GROUP`` or ``COUNTRY_ANY`` for a rule
    listing the countries ``listed_ids`` and having country groups or not
    (``has_groups``) whose countries are ``group_country_ids``, matched against
    ``country_id`` (falsy: unknown); ``None`` when the rule does not apply (it
    names countries, not this one). ``has_groups`` and ``group_country_ids`` may
    be callables: they are called only when they decide (a listed country needs
    neither)."""
    if country_id and country_id in listed_ids:
        return COUNTRY_LISTED
    if callable(has_groups):
        has_groups = has_groups()
    if not has_groups:
        return None if listed_ids else COUNTRY_ANY
    if not country_id:
        return None
    if callable(group_country_ids):
        group_country_ids = group_country_ids()
    return COUNTRY_IN_GROUP if country_id in group_country_ids else None


def counted_specificity(criteria_set, precision):
    """Specificity of a rule whose criteria all weigh the same (SLA policies):
    ``criteria_set`` counts the criteria the rule sets other than countries;
    countries count as one more, a country reached through a country group
    weighing a little less than a listed one (it loses a tie on the count to a
    rule setting as many criteria). ``None`` when the rule does not apply."""
    if precision is None:
        return None
    return (
        criteria_set + (1 if precision != COUNTRY_ANY else 0),
        -1 if precision == COUNTRY_IN_GROUP else 0,
    )


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
