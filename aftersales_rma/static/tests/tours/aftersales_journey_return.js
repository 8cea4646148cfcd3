import { registry } from "@web/core/registry";

// The agent reads the case an e-mail opened, names the order it is about,
// makes the return from the case and approves it.
registry.category("web_tour.tours").add("aftersales_journey_return_agent", {
    steps: () => [
        {
            content: "Name the order the customer writes about",
            trigger: ".o_field_widget[name=sale_order_id] input",
            run: "edit Journey Order",
        },
        {
            trigger: ".ui-menu-item > a:contains(Journey Order 1)",
            run: "click",
        },
        {
            content: "Create the return from the case",
            trigger: ".o_form_view button[name=action_create_aftersales_rma]",
            run: "click",
        },
        {
            content: "Return one lamp",
            trigger: ".modal .o_data_row .o_data_cell[name=product_uom_qty]",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 1",
        },
        {
            trigger: ".modal button[name=action_create_rma]",
            run: "click",
        },
        {
            content: "Approve the return",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Approved)",
        },
        {
            content: "The return leads back to its case",
            trigger: ".o_field_widget[name=case_id] a",
            run: "click",
        },
        {
            content: "And the case to its return",
            trigger: ".o_form_view button[name=action_view_aftersales_rmas]:contains(1)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Approved)",
        },
    ],
});

// The warehouse receives the goods on the return's receipt.
registry.category("web_tour.tours").add("aftersales_journey_return_warehouse", {
    steps: () => [
        {
            content: "Open the return's receipt",
            trigger: "button[name=action_view_receipts]",
            run: "click",
        },
        {
            content: "Validate the receipt",
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

// The accountant credits the received return from the returns to credit.
registry.category("web_tour.tours").add("aftersales_journey_return_accountant", {
    steps: () => [
        {
            content: "Open the return waiting for its credit",
            trigger: ".o_data_row td:contains(RMA)",
            run: "click",
        },
        {
            content: "Make the credit note",
            trigger: ".o_form_view button[name=action_refund]",
            run: "click",
        },
        {
            content: "The credit note opens, and leads back to its return",
            trigger: ".o_form_view button[name=action_view_aftersales_rmas]",
            run: "click",
        },
        {
            content: "Which counts its credit note",
            trigger: ".o_form_view button[name=action_view_credit_notes]:contains(1)",
        },
    ],
});
