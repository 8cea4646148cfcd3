import { registry } from "@web/core/registry";

// A complaint manager files a complaint about an overdue invoice, registers
// it and holds the invoice from payment reminders.
registry.category("web_tour.tours").add("aftersales_journey_complaint_hold", {
    steps: () => [
        {
            content: "Make a complaint about the invoice",
            trigger: "button[name=action_make_aftersales_complaint]",
            run: "click",
        },
        {
            content: "Say what the customer disputes",
            trigger: ".o_field_widget[name=description] .odoo-editor-editable",
            run: "editor The invoice charges a delivery that came a week late.",
        },
        {
            content: "Register the complaint",
            trigger: ".o_form_view button[name=action_register]",
            run: "click",
        },
        {
            content: "Hold the invoice from payment reminders",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Registered)",
        },
        {
            trigger: ".o_form_view button[name=action_hold_invoice]",
            run: "click",
        },
        {
            content: "Confirm the hold",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The complaint holds one invoice",
            trigger: "button[name=action_view_holds]:contains(1)",
        },
    ],
});

// The complaint is planned, reviewed and fulfilled: its hold goes.
registry.category("web_tour.tours").add("aftersales_journey_complaint_fulfil", {
    steps: () => [
        {
            content: "Launch the action plan",
            trigger: ".o_form_view button[name=action_open_plan].btn-primary",
            run: "click",
        },
        {
            content: "Choose the complaint handling plan",
            trigger: ".modal .o_field_widget[name=plan_id] span:contains(Complaint handling)",
            run: "click",
        },
        {
            content: "Schedule its steps",
            trigger: ".modal button[name=action_schedule_plan]",
            run: "click",
        },
        {
            content: "The complaint is planned",
            trigger: ".o_form_view button[name=action_plan]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Planned)",
        },
        {
            content: "Write the review results",
            trigger: ".o_notebook a[name=review]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=review_result] .odoo-editor-editable",
            run: "editor The carrier missed its slot; the delivery costs were refunded.",
        },
        {
            content: "End date: today",
            trigger: ".o_field_widget[name=date_end] input",
            run: `edit ${new Date().toLocaleDateString("en-US")}`,
        },
        {
            content: "Fulfil the complaint",
            trigger: ".o_form_view button[name=action_fulfil]",
            run: "click",
        },
        {
            content: "It is fulfilled",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Fulfilled)",
        },
    ],
});
