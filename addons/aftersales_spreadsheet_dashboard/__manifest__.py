{
    "name": "After-Sales Spreadsheet Dashboard",
    "summary": "The service manager's dashboard: backlog, SLA, CSAT, first-time "
    "fix, response times and returns by period, team, country and product",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "Aftersales Team",
    "website": "https://example.com/aftersales",
    "license": "LGPL-3",
    "depends": ["spreadsheet_dashboard", "aftersales_rma"],
    "data": [
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "aftersales_spreadsheet_dashboard/static/tests/tours/*.js"
        ],
    },
    "auto_install": True,
    "installable": True,
}
