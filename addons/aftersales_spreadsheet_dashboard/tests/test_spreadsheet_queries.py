"""The pure reading of a dashboard's JSON (no database, no environment)."""

from copy import deepcopy
from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..tools.spreadsheet_queries import (
    check_references,
    data_sources,
    filter_domain,
    read_group_calls,
)

FIELDS = {
    "x.report": {
        "create_date": {"type": "datetime"},
        "team_id": {"type": "many2one", "relation": "x.team"},
        "is_closed": {"type": "boolean"},
        "rating": {"type": "float"},
        "name": {"type": "char"},
    },
    "x.team": {"name": {"type": "char"}},
}
MATCHING = {
    "period": {"chain": "create_date", "type": "datetime", "offset": 0},
    "team": {"chain": "team_id", "type": "many2one"},
}
DOC = {
    "globalFilters": [
        {"id": "period", "type": "date", "label": "Period"},
        {"id": "team", "type": "relation", "label": "Team", "modelName": "x.team"},
    ],
    "pivots": {
        "1": {
            "model": "x.report",
            "name": "By team",
            "domain": [["is_closed", "=", True]],
            "measures": [
                {"id": "__count", "fieldName": "__count"},
                {"id": "rating", "fieldName": "rating"},
            ],
            "rows": [{"fieldName": "team_id"}],
            "columns": [],
            "fieldMatching": MATCHING,
        }
    },
    "sheets": [
        {
            "name": "Data",
            "cells": {
                "A1": {"content": '=PIVOT.VALUE(1,"rating","#team_id",1)'},
                "A2": {"content": '=PIVOT.HEADER(1,"#team_id",1)'},
            },
            "figures": [
                {
                    "id": "chart1",
                    "tag": "chart",
                    "data": {
                        "type": "odoo_bar",
                        "title": {"text": "Per month"},
                        "metaData": {
                            "resModel": "x.report",
                            "measure": "__count",
                            "groupBy": ["create_date:month"],
                        },
                        "searchParams": {"domain": []},
                        "fieldMatching": MATCHING,
                    },
                },
                {
                    "id": "score1",
                    "tag": "chart",
                    "data": {
                        "type": "scorecard",
                        "title": {"text": "CSAT"},
                        "keyValue": "Data!A1",
                    },
                },
            ],
        }
    ],
}


@tagged("post_install", "-at_install")
class TestSpreadsheetQueries(BaseCase):
    def _problems(self, doc):
        return check_references(doc, FIELDS.get)

    def test_sources_and_calls(self):
        pivot, chart = data_sources(DOC)
        self.assertEqual(
            (pivot["kind"], pivot["groupby"], pivot["measures"]),
            ("pivot", ["team_id"], ["rating"]),
        )
        self.assertEqual(
            (chart["kind"], chart["groupby"], chart["measures"]),
            ("chart", ["create_date:month"], []),
        )
        # a pivot reads its total and its rows; a chart its grouping
        calls = read_group_calls(pivot, {"team": [7]})
        self.assertEqual([groupby for _d, _m, groupby in calls], [[], ["team_id"]])
        self.assertEqual(
            calls[0][0], [["is_closed", "=", True], ("team_id", "in", [7])]
        )
        self.assertEqual(len(read_group_calls(chart)), 1)

    def test_filter_domain(self):
        start, end = datetime(2026, 1, 1), datetime(2026, 7, 1)
        self.assertEqual(
            filter_domain(MATCHING, {"period": (start, end), "team": [3, 4]}),
            [
                ("create_date", ">=", start),
                ("create_date", "<", end),
                ("team_id", "in", [3, 4]),
            ],
        )
        self.assertEqual(
            filter_domain(MATCHING, {"team": []}), [], "no value, no domain"
        )
        self.assertEqual(filter_domain({}, {"team": [3]}), [], "not matched, no domain")

    def test_a_sound_document_has_no_problem(self):
        self.assertEqual(self._problems(DOC), [])

    def test_wrong_names_are_reported(self):
        doc = deepcopy(DOC)
        pivot = doc["pivots"]["1"]
        pivot["measures"][1]["fieldName"] = "ratting"
        pivot["rows"][0]["fieldName"] = "tem_id"
        pivot["domain"] = [["is_clsoed", "=", True]]
        figure = doc["sheets"][0]["figures"][0]["data"]
        figure["metaData"]["groupBy"] = ["name:month"]
        figure["fieldMatching"] = dict(
            MATCHING, team={"chain": "name", "type": "many2one"}
        )
        doc["sheets"][0]["figures"][1]["data"]["keyValue"] = "Data!Z9"
        problems = self._problems(doc)
        for expected in (
            "no numeric field ratting",
            "no field tem_id to group by",
            "no field is_clsoed in its domain",
            "name:month is not a date grouping",
            "filter Team on name, not a link to x.team",
            "empty cell Data!Z9",
            "pivot 1 has no measure ['rating']",
            "pivot 1 is not grouped by #team_id",
        ):
            self.assertTrue(any(expected in p for p in problems), (expected, problems))

    def test_missing_models_and_matchings_are_reported(self):
        doc = deepcopy(DOC)
        doc["globalFilters"][1]["modelName"] = "x.tem"
        doc["pivots"]["1"]["fieldMatching"] = {"period": MATCHING["period"]}
        doc["sheets"][0]["figures"][0]["data"]["metaData"]["resModel"] = "x.rapport"
        problems = self._problems(doc)
        self.assertIn("filter Team: no model x.tem", problems)
        self.assertIn("pivot By team: ignores the filter Team", problems)
        self.assertIn("chart Per month: no model x.rapport", problems)
