import { registry } from "@web/core/registry";

// The support manager opens the Support dashboard and drills from the
// escalations figure into the escalated cases.
registry.category("web_tour.tours").add("aftersales_journey_dashboard", {
    steps: () => [
        {
            content: "Open the Support dashboard",
            trigger: ".o_main_navbar",
            run: async () => {
                const env = odoo.__WOWL_DEBUG__.root.env;
                const [dashboardId] = await env.services.orm.search("spreadsheet.dashboard", [
                    ["name", "=", "Support"],
                ]);
                await env.services.action.doAction({
                    type: "ir.actions.client",
                    tag: "action_spreadsheet_dashboard",
                    params: { dashboard_id: dashboardId },
                });
            },
        },
        {
            content: "Drill into the escalations",
            trigger: "canvas.o-scorecard[title=Escalated]",
            run: "click",
        },
        {
            content: "The escalated cases open",
            trigger: ".o_breadcrumb:contains(Open Case Escalations)",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Boiler keeps failing)",
        },
    ],
});
