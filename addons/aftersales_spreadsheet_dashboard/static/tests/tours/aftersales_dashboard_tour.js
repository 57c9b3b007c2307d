import { registry } from "@web/core/registry";

// The service manager opens Dashboards, picks the After-Sales dashboard and sees
// its scorecards and charts drawn from the service KPIs.
registry.category("web_tour.tours").add("aftersales_dashboard_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            content: "Open the After-Sales dashboard",
            trigger: ".o_search_panel li:contains(After-Sales Service)",
            run: "click",
        },
        {
            content: "The After-Sales dashboard is the active one",
            trigger: ".o_search_panel li.active:contains(After-Sales Service)",
        },
        {
            content: "The backlog scorecard is drawn",
            trigger: ".o_renderer canvas.o-scorecard[title='Open backlog']",
        },
        {
            content: "The chart of tickets per month is drawn",
            trigger: ".o_renderer .o-figure[data-id='c0a1c2d3-0000-4000-8000-000000000001'] canvas",
        },
        {
            content: "The global filters are offered",
            trigger: ".o_control_panel .o_filter_value_container",
        },
    ],
});
