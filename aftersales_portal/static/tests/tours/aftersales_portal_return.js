import { registry } from "@web/core/registry";

// A customer opens a delivered order, asks to send one unit back and finds
// the request among their returns.
registry.category("web_tour.tours").add("aftersales_portal_return", {
    steps: () => [
        {
            content: "Request a return from the order",
            trigger: "#aftersales_rma_request_from_order",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Return one unit",
            trigger: "#aftersales_rma_new_form input[name^='qty_']",
            run: "edit 1",
        },
        {
            content: "Wish a replacement",
            trigger: "select#aftersales_rma_resolution",
            run: "select replace",
        },
        {
            content: "Explain",
            trigger: "textarea#aftersales_rma_description",
            run: "edit The shade is cracked.",
        },
        {
            content: "Send the request",
            trigger: "#aftersales_rma_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is confirmed",
            trigger: ".o_portal_aftersales_rma_sidebar .badge:contains(Draft)",
        },
        {
            content: "Go to the returns",
            trigger: ".breadcrumb a[href='/my/returns']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The return is in the list",
            trigger: ".o_portal_my_doc_table td .badge:contains(Draft)",
        },
    ],
});
