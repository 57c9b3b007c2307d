import { registry } from "@web/core/registry";

// A dealer's staff asks for the return of a delivered order line; the data come
// from aftersales_portal/tests/test_portal_rma_order.py.
registry.category("web_tour.tours").add("aftersales_portal_order_return", {
    url: "/my/rmas",
    steps: () => [
        {
            trigger: "a.o_aftersales_rma_request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The delivered line of the order is offered",
            trigger: ".o_aftersales_returnable_row:contains(PS-SO-2) a.o_aftersales_request_return",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_aftersales_return_form input#serial", run: "edit PS-SO-2" },
        { trigger: ".o_aftersales_return_form select#reason", run: "select doa" },
        { trigger: ".o_aftersales_return_form textarea#note", run: "edit Tour: dead on arrival" },
        {
            trigger: ".o_aftersales_return_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The RMA opens with the returned serial",
            trigger: ".o_aftersales_rma_page:contains(PS-SO-2)",
        },
    ],
});
