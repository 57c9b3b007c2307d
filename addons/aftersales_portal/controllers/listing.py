"""What the portal's lists share: counters that count only what the user may
read, and one page of a filtered, searched list with its pager. Both search as
the user, so record rules decide what is counted and listed."""

from odoo.addons.portal.controllers.portal import pager as portal_pager


def readable_count(Model, domain=()):
    """Documents of ``Model`` the user may read in ``domain`` (0 without the
    read right: a counter never says a document exists)."""
    return Model.search_count(list(domain)) if Model.has_access("read") else 0


def list_page(Model, url, filters, filterby, page, step, **options):
    """One page of a portal list.

    ``filters`` maps a key to ``{"label", "domain"}``; an unknown ``filterby``
    falls back to ``"all"``. Options: ``domain`` (added to the filter's, e.g.
    the search), ``order``, ``url_args`` (kept by the pager's links besides
    ``filterby``). Returns ``(records, pager, filterby, total)``."""
    filterby = filterby if filterby in filters else "all"
    domain = list(filters[filterby]["domain"]) + list(options.get("domain") or [])
    total = Model.search_count(domain)
    pager = portal_pager(
        url=url,
        url_args={"filterby": filterby, **(options.get("url_args") or {})},
        total=total,
        page=page,
        step=step,
    )
    records = Model.search(
        domain, order=options.get("order"), limit=step, offset=pager["offset"]
    )
    return records, pager, filterby, total


def selection_labels(Model, fname):
    """``{value: label}`` of a selection field in the user's language, for the
    rows of a list: one lookup for the page instead of a ``t-field`` that
    describes the whole field again on every row."""
    return dict(Model._fields[fname]._description_selection(Model.env))
