"""What a spreadsheet dashboard asks the database, read from its JSON, and the
check that everything it names exists. Pure functions: the models' fields come
in through ``fields_of(model)``, which returns ``{name: {"type": ...,
"relation": ...}}`` or ``None`` for a model that does not exist.

Used by the dashboard's tests (every name resolved on the real registry) and by
the benchmark (scripts/bench_insight.py: the same read_group calls as the web
client, beside the same raw SQL).
"""

import re

NUMERIC = {"integer", "float", "monetary"}
DATES = {"date", "datetime"}
GRANULARITIES = {"day", "week", "month", "quarter", "year"}
FORMULA = re.compile(r"PIVOT\.(VALUE|HEADER)\((\d+)((?:,\s*\"[^\"]*\")*)")
ARGUMENT = re.compile(r"\"([^\"]*)\"")


def data_sources(doc):
    """Each pivot and chart of the dashboard as a dict: ``kind`` (pivot, chart),
    ``id``, ``name``, ``model``, ``domain``, ``groupby`` (``field`` or
    ``field:granularity``), ``measures`` (field names, ``__count`` left out: it
    is always read), ``matching`` (filter id to ``{"chain", "type"}``)."""
    sources = []
    for pivot_id, pivot in sorted(doc.get("pivots", {}).items()):
        groupby = [
            _groupby(dimension)
            for dimension in pivot.get("rows", []) + pivot.get("columns", [])
        ]
        sources.append(
            {
                "kind": "pivot",
                "id": pivot_id,
                "name": pivot.get("name", ""),
                "model": pivot["model"],
                "domain": pivot.get("domain", []),
                "groupby": groupby,
                "measures": [
                    m["fieldName"]
                    for m in pivot.get("measures", [])
                    if m["fieldName"] != "__count"
                ],
                "matching": pivot.get("fieldMatching", {}),
            }
        )
    for sheet in doc.get("sheets", []):
        for figure in sheet.get("figures", []):
            data = figure.get("data", {})
            if figure.get("tag") != "chart" or "metaData" not in data:
                continue
            meta = data["metaData"]
            measure = meta.get("measure")
            sources.append(
                {
                    "kind": "chart",
                    "id": figure["id"],
                    "name": data.get("title", {}).get("text", ""),
                    "model": meta["resModel"],
                    "domain": data.get("searchParams", {}).get("domain", []),
                    "groupby": list(meta.get("groupBy", [])),
                    "measures": [measure] if measure and measure != "__count" else [],
                    "matching": data.get("fieldMatching", {}),
                }
            )
    return sources


def _groupby(dimension):
    granularity = dimension.get("granularity")
    name = dimension["fieldName"]
    return f"{name}:{granularity}" if granularity else name


def filter_domain(matching, values):
    """The domain the global filters add to one data source: ``values`` maps a
    filter id to a list of record ids (relation) or a ``(start, end)`` pair of
    datetimes, end excluded (date). A filter without value adds nothing."""
    domain = []
    for filter_id, value in values.items():
        field = matching.get(filter_id)
        if not field or not field.get("chain") or not value:
            continue
        if field["type"] in DATES:
            start, end = value
            domain += [(field["chain"], ">=", start), (field["chain"], "<", end)]
        else:
            domain.append((field["chain"], "in", list(value)))
    return domain


def read_group_calls(source, values=None):
    """The ``read_group(domain, fields, groupby, lazy=False)`` calls the web
    client makes for a source: a chart reads its grouping; a pivot reads its
    total and each level of its rows and columns."""
    domain = list(source["domain"]) + filter_domain(source["matching"], values or {})
    if source["kind"] == "chart":
        levels = [source["groupby"]]
    else:
        levels = [
            source["groupby"][:depth] for depth in range(len(source["groupby"]) + 1)
        ]
    return [(domain, list(source["measures"]), groupby) for groupby in levels]


def _field(fields_of, model, chain):
    """The description of the last field of a dotted ``chain`` on ``model``."""
    description = None
    for name in chain.split("."):
        fields = fields_of(model)
        description = fields.get(name) if fields else None
        if description is None:
            return None
        model = description.get("relation")
    return description


def _domain_fields(domain):
    for leaf in domain:
        if isinstance(leaf, list | tuple) and len(leaf) == 3:
            yield leaf[0]


def check_references(doc, fields_of):
    """The names of the dashboard that do not exist or do not fit, as a list of
    messages (empty when everything resolves)."""
    problems = []
    filters = {f["id"]: f for f in doc.get("globalFilters", [])}
    for global_filter in filters.values():
        model = global_filter.get("modelName", "")
        if global_filter["type"] == "relation" and fields_of(model) is None:
            problems.append(f"filter {global_filter['label']}: no model {model}")
    for source in data_sources(doc):
        label = f"{source['kind']} {source['name'] or source['id']}"
        if fields_of(source["model"]) is None:
            problems.append(f"{label}: no model {source['model']}")
            continue
        problems += [
            f"{label}: {problem}" for problem in _check_fields(source, fields_of)
        ]
        problems += [
            f"{label}: {problem}"
            for problem in _check_matching(source, filters, fields_of)
        ]
    problems += _check_formulas(doc)
    return problems


def _check_fields(source, fields_of):
    """The groupings, measures and domain of one source."""
    model = source["model"]
    for groupby in source["groupby"]:
        name, _sep, granularity = groupby.partition(":")
        field = _field(fields_of, model, name)
        if field is None:
            yield f"no field {name} to group by"
        elif granularity and (
            granularity not in GRANULARITIES or field["type"] not in DATES
        ):
            yield f"{groupby} is not a date grouping"
    for measure in source["measures"]:
        field = _field(fields_of, model, measure)
        if field is None or field["type"] not in NUMERIC:
            yield f"no numeric field {measure} to measure"
    for name in _domain_fields(source["domain"]):
        if _field(fields_of, model, name) is None:
            yield f"no field {name} in its domain"


def _check_matching(source, filters, fields_of):
    """The fields one source matches the global filters on; every relation
    filter must be matched (a date filter may be left out on purpose: the
    backlog is the backlog of today)."""
    for filter_id, matched in source["matching"].items():
        global_filter = filters.get(filter_id)
        if global_filter is None:
            yield f"matches an unknown filter {filter_id}"
            continue
        name, chain = global_filter["label"], matched.get("chain", "")
        field = _field(fields_of, source["model"], chain)
        if field is None:
            yield f"filter {name} on a missing field {chain}"
        elif global_filter["type"] == "date" and field["type"] not in DATES:
            yield f"date filter {name} on {chain}, not a date"
        elif global_filter["type"] == "relation" and (
            field.get("relation") != (target := global_filter.get("modelName"))
        ):
            yield f"filter {name} on {chain}, not a link to {target}"
    for filter_id, global_filter in filters.items():
        if global_filter["type"] == "relation" and filter_id not in source["matching"]:
            yield f"ignores the filter {global_filter['label']}"


def _check_formulas(doc):
    """Every PIVOT.VALUE/PIVOT.HEADER names an existing pivot, one of its
    measures and one of its groupings; every scorecard shows a filled cell."""
    problems = []
    pivots = doc.get("pivots", {})
    cells = {}
    for sheet in doc.get("sheets", []):
        for ref, cell in sheet.get("cells", {}).items():
            cells[f"{sheet['name']}!{ref}"] = cell.get("content", "")
    for ref, content in cells.items():
        for function, pivot_id, arguments in FORMULA.findall(content):
            pivot = pivots.get(pivot_id)
            if pivot is None:
                problems.append(f"{ref}: no pivot {pivot_id}")
                continue
            args = ARGUMENT.findall(arguments)
            groupings = {
                _groupby(d) for d in pivot.get("rows", []) + pivot.get("columns", [])
            }
            if function == "VALUE":
                measures = {m["fieldName"] for m in pivot.get("measures", [])}
                if not args or args[0] not in measures:
                    problems.append(
                        f"{ref}: pivot {pivot_id} has no measure {args[:1]}"
                    )
                args = args[1:]
            for grouping in args[::2]:
                if grouping.lstrip("#") not in groupings:
                    problems.append(
                        f"{ref}: pivot {pivot_id} is not grouped by {grouping}"
                    )
    for sheet in doc.get("sheets", []):
        for figure in sheet.get("figures", []):
            data = figure.get("data", {})
            if data.get("type") == "scorecard" and not cells.get(data.get("keyValue")):
                problems.append(
                    f"scorecard {figure['id']}: empty cell {data.get('keyValue')}"
                )
    return problems
