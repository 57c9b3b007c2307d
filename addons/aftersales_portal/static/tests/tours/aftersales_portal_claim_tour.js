import { registry } from "@web/core/registry";

// A dealer's staff files a warranty claim with a labour and another cost; the
// data come from aftersales_portal/tests/test_portal_claims.py (TestPortalClaimTour).
registry.category("web_tour.tours").add("aftersales_portal_claim", {
    url: "/my/claims",
    steps: () => [
        {
            trigger: "a.o_aftersales_claim_new",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_aftersales_claim_form input#serial", run: "edit PS-DEALER-1" },
        {
            trigger: ".o_aftersales_claim_form input#failure_date",
            run() {
                // a date input takes its value in ISO form
                this.anchor.value = "2026-11-20";
            },
        },
        {
            trigger: ".o_aftersales_claim_form input#repair_date",
            run() {
                // a date input takes its value in ISO form
                this.anchor.value = "2026-11-24";
            },
        },
        { trigger: ".o_aftersales_claim_form input#invoice_ref", run: "edit TOUR-INV-1" },
        {
            trigger: ".o_aftersales_claim_form textarea#description",
            run: "edit Tour: power supply replaced",
        },
        { trigger: "select[name=line_0_cost_type]", run: "select labour" },
        { trigger: "input[name=line_0_extra_hours]", run: "edit 1" },
        { trigger: "input[name=line_0_extra_reason]", run: "edit Tour: seized fan" },
        { trigger: "select[name=line_1_cost_type]", run: "select other" },
        { trigger: "input[name=line_1_name]", run: "edit Tour: courier" },
        { trigger: "input[name=line_1_quantity]", run: "edit 1" },
        { trigger: "input[name=line_1_price_unit]", run: "edit 40" },
        {
            trigger: ".o_aftersales_claim_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The claim opens submitted, with its costs",
            trigger: ".o_aftersales_claim_page:contains(PS-DEALER-1) .o_aftersales_claim_line:contains(Tour: courier)",
        },
        { trigger: ".o_aftersales_claim_page .o_aftersales_claim_state:contains(Submitted)" },
    ],
});
