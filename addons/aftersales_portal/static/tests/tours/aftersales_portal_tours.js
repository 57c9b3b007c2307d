import { registry } from "@web/core/registry";

// Tours of the dealer and customer portal; their data come from
// aftersales_portal/tests/test_portal_tours.py.

function attachFile(input, name, type, content) {
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], name, { type }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// a 1x1 PNG
const PNG = Uint8Array.from(
    atob(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAIAAAUAAaJPXQAAAABJRU5ErkJggg=="
    ),
    (c) => c.charCodeAt(0)
);

registry.category("web_tour.tours").add("aftersales_portal_dealer_ticket", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Open the new-ticket form",
            trigger: "a.o_aftersales_new_ticket",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The customer is new",
            trigger: "input#customer_mode_new",
            run: "click",
        },
        { trigger: "input#customer_name", run: "edit Tour Vet Clinic" },
        { trigger: "input#customer_email", run: "edit vet@tour.example.com" },
        { trigger: "select#product_id", run: "selectByLabel [PS-1] Portal Scanner" },
        { trigger: "input#serial", run: "edit PS-DEALER-1" },
        { trigger: "input#subject", run: "edit Tour: display stays black" },
        { trigger: "textarea#description", run: "edit Black screen after start." },
        {
            content: "Attach a photo of the fault",
            trigger: "input#attachments",
            run() {
                attachFile(this.anchor, "fault.png", "image/png", PNG);
            },
        },
        {
            content: "Submit",
            trigger: ".o_aftersales_ticket_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page opens with its timeline",
            trigger: ".o_aftersales_ticket_page:contains(Tour: display stays black) .o_aftersales_timeline",
        },
        {
            content: "The photo is in the chatter",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(Attachments of the fault report)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_register_warranty", {
    url: "/my/warranties",
    steps: () => [
        {
            trigger: "a.o_aftersales_register",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: "input#serial", run: "edit PS-TOUR-1" },
        {
            trigger: "input#purchase_date",
            run() {
                this.anchor.value = "2026-01-15";
            },
        },
        { trigger: "input#purchase_place", run: "edit Hamburg" },
        {
            trigger: "input#invoice",
            run() {
                attachFile(this.anchor, "invoice.pdf", "application/pdf", "%PDF-1.4 tour");
            },
        },
        {
            trigger: ".o_aftersales_warranty_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The result shows the registration and its coverage",
            trigger: ".o_aftersales_warranty_page:contains(PS-TOUR-1) .o_aftersales_coverage",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_rma_tracking", {
    url: "/my/rmas",
    steps: () => [
        {
            trigger: ".o_aftersales_rma_row a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The shipment and its tracking events show",
            trigger: ".o_aftersales_shipment:contains(TRKDEALER) .o_aftersales_tracking_event:contains(Departed)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_public_warranty", {
    url: "/warranty",
    steps: () => [
        { trigger: "input#serial", run: "edit PS-DEALER-1" },
        {
            trigger: ".o_aftersales_public_warranty button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer shows the product, without the customer",
            trigger: ".o_aftersales_warranty_answer:contains(Portal Scanner):not(:contains(Altona))",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_staff_invite", {
    url: "/my/staff",
    steps: () => [
        { trigger: "input#staff_name", run: "edit Tour Staff" },
        { trigger: "input#staff_email", run: "edit tour.staff@elbe.example.com" },
        {
            trigger: ".o_aftersales_staff_invite button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invitation is sent and the new staff member listed",
            trigger: ".o_aftersales_staff_message",
        },
        { trigger: ".o_aftersales_staff_row:contains(Tour Staff)" },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_ticket_form_help", {
    url: "/my/tickets/new",
    steps: () => [
        {
            content: "No answer and no article before anything is typed",
            trigger: ".o_aftersales_ticket_new:not(:has(.o_aftersales_serial_answer div))",
        },
        { trigger: ".o_aftersales_suggested_articles:hidden" },
        { trigger: "input#serial", run: "edit PS-FORM-1" },
        {
            content: "The warranty engine's answer appears beside the serial",
            trigger: ".o_aftersales_serial_answer[data-status=in] .o_aftersales_serial_status:contains(Under warranty)",
        },
        { trigger: ".o_aftersales_serial_answer .o_aftersales_serial_decision:contains(Partly covered)" },
        { trigger: ".o_aftersales_serial_answer:contains(Warranty until)" },
        {
            content: "The serial's product is chosen",
            trigger: "select#product_id:has(option:selected:contains(Portal Scanner))",
        },
        {
            content: "A dealer article of the product is suggested, not the customers' one",
            trigger: ".o_aftersales_suggested_articles:not(.d-none):not(:contains(Cleaning the screen)) a:contains(Calibrating the probe)",
        },
        { trigger: "input#serial", run: "edit NO-SUCH-SERIAL" },
        {
            content: "An unknown serial is shown as a warning",
            trigger: ".o_aftersales_serial_answer.alert-warning[data-status=unknown]:contains(Unknown serial number)",
        },
        {
            content: "The page was not left",
            trigger: "input#serial:value(NO-SUCH-SERIAL)",
        },
        { trigger: "select#product_id", run: "selectByLabel Choose..." },
        {
            content: "Without a product, no article",
            trigger: ".o_aftersales_suggested_articles:hidden:not(:has(li))",
        },
    ],
});
