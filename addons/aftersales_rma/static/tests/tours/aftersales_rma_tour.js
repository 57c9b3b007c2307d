import { registry } from "@web/core/registry";

// A service manager (no inventory rights) opens a ticket, creates its RMA, submits and approves it and
// requests the return: the RMA awaits the goods, its receipt and shipment made.
// The ticket and the serial come from aftersales_rma/tests/test_rma_tour.py.
registry.category("web_tour.tours").add("aftersales_rma_tour", {
    steps: () => [
        {
            content: "The ticket is open",
            trigger: ".o_form_view .o_field_widget[name=subject] input:value(Tour: probe cracked)",
        },
        {
            content: "Create the RMA of the ticket",
            trigger: ".o_form_view .o_form_statusbar button[name=action_create_rma]",
            run: "click",
        },
        {
            content: "The RMA form opens with its reference",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('RMA')",
        },
        {
            content: "The RMA is a draft",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Draft')",
        },
        {
            content: "Its line returns the ticket's serial",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=lot_id]:contains('TOUR-SN-0001')",
        },
        {
            content: "Submit the RMA",
            trigger: ".o_form_statusbar button[name=action_submit]",
            run: "click",
        },
        {
            content: "The RMA is submitted",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "Approve the RMA",
            trigger: ".o_form_statusbar button[name=action_approve]",
            run: "click",
        },
        {
            content: "The RMA is approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
        {
            content: "Request the return of the goods",
            trigger: ".o_form_statusbar button[name=action_request_return]",
            run: "click",
        },
        {
            content: "The RMA awaits the goods",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Awaiting Receipt')",
        },
        {
            content: "The shipment of the return leg is one click away",
            trigger: ".o-form-buttonbox button[name=action_view_shipments]:contains('1') .o_stat_text:contains('Shipments')",
        },
        {
            // Transfers is shown to inventory users only (docs/rma.md); the
            // service manager without stock rights sees the receipt on the lines
            content: "No Transfers button for a service manager without stock rights",
            trigger: ".o-form-buttonbox:not(:has(button[name=action_view_pickings]))",
        },
    ],
});
