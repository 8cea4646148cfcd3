import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_case_tour", {
    steps: () => [
        {
            content: "Give the case a subject",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Printer jams on page two",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            content: "Select the customer",
            trigger: ".ui-menu-item > a:contains('Tour Customer Ltd')",
            run: "click",
        },
        {
            content: "Save the case",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The case got its reference",
            trigger: ".o_form_saved .o_field_widget[name=name]:contains('CASE/')",
        },
    ],
});
