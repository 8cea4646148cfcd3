import { registry } from "@web/core/registry";

function pickInRow(list, field, text) {
    return [
        {
            trigger: `div[name=${list}] .o_data_row .o_field_widget[name=${field}] input`,
            run: `edit ${text}`,
        },
        {
            trigger: `.ui-menu-item > a:contains(${text})`,
            run: "click",
        },
    ];
}

// The technician repairs the unit a return brought in: the repair from the
// return, an operation through its statuses, the part it takes, done.
registry.category("web_tour.tours").add("aftersales_journey_repair", {
    steps: () => [
        {
            content: "Open a repair for the received unit",
            trigger: ".o_form_view button[name=action_create_repair]",
            run: "click",
        },
        {
            content: "Plan the operation",
            trigger: ".o_notebook a[name=aftersales_operations]",
            run: "click",
        },
        {
            trigger: "div[name=aftersales_operation_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        ...pickInRow("aftersales_operation_ids", "product_id", "Journey Keyboard Swap"),
        ...pickInRow("aftersales_operation_ids", "status_id", "Testing"),
        {
            content: "Add the part it takes",
            trigger: ".o_notebook a[name=parts]",
            run: "click",
        },
        {
            trigger: "div[name=move_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        ...pickInRow("move_ids", "product_id", "Journey Keyboard Module"),
        {
            content: "Confirm the repair",
            trigger: ".o_form_view button[name=action_validate]",
            run: "click",
        },
        {
            content: "Start it",
            trigger: ".o_form_view button[name=action_repair_start]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Under Repair)",
        },
    ],
});

// On the workshop board, the technician finishes the operation.
registry.category("web_tour.tours").add("aftersales_journey_repair_board", {
    steps: () => [
        {
            content: "Open the operation's card",
            trigger: ".o_kanban_record:contains(Journey Keyboard Swap)",
            run: "click",
        },
        {
            content: "Finish it (a folded status sits in the statusbar's menu)",
            trigger: ".o_statusbar_status button:contains(Finished), .o_statusbar_status .dropdown-toggle",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Finished), " +
                ".dropdown-item:contains(Finished)",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Finished)",
        },
        {
            content: "Back to the board",
            trigger: ".o_breadcrumb a:contains(Workshop Board)",
            run: "click",
        },
        {
            trigger: ".o_kanban_view",
        },
    ],
});

// The technician ends the repair: the part is consumed.
registry.category("web_tour.tours").add("aftersales_journey_repair_end", {
    steps: () => [
        {
            content: "End the repair",
            trigger: ".o_form_view button[name=action_repair_end]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Repaired)",
        },
    ],
});

// The repaired unit goes back to the customer.
registry.category("web_tour.tours").add("aftersales_journey_repair_send_back", {
    steps: () => [
        {
            content: "Send the unit back to the customer",
            trigger: ".o_form_view button[name=action_aftersales_send_back]",
            run: "click",
        },
        {
            content: "Its delivery opens",
            trigger: ".o_breadcrumb:contains(WH/OUT), .o_form_view .o_field_widget[name=name]:contains(OUT)",
        },
    ],
});
