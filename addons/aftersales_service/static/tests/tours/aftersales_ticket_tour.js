import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A service agent opens After-Sales, creates a ticket for a known customer from
// the list, saves it and sees its sequence number and SLA deadline.
registry.category("web_tour.tours").add("aftersales_ticket_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("aftersales_service.aftersales_menu_root", "Open After-Sales"),
        {
            content: "Open all tickets",
            trigger: '.o-dropdown[data-menu-xmlid="aftersales_service.aftersales_ticket_menu_main"]',
            run: "click",
        },
        {
            content: "All tickets",
            trigger: '.o-dropdown-item[data-menu-xmlid="aftersales_service.aftersales_ticket_menu"]',
            run: "click",
        },
        {
            content: "Create a ticket",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Describe the fault",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Tour: probe shows no image",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Klinikum",
        },
        {
            content: "Pick the customer in the list",
            trigger: ".ui-menu-item > a:contains('Tour Klinikum')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Wait until it is saved",
            trigger: ".o_form_saved",
        },
        {
            content: "It has its sequence number",
            trigger: ".o_field_widget[name=name]:contains('SV')",
        },
        {
            content: "Open the SLA page",
            trigger: ".o_notebook_headers a:contains('SLA')",
            run: "click",
        },
        {
            content: "The resolution deadline is planned",
            trigger: ".o_field_widget[name=resolution_deadline]:contains('/')",
        },
    ],
});
