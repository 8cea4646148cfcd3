"""Every screen of the suite opens in a real browser without a client error.

Odoo's own click-everywhere (the clickbot core's ``test_click_everywhere``
starts) opens each menu of the suite's apps, every view of each action and
every filter of each search view, and fails on the first error dialog or
console error. It runs once per app menu, as an administrator and as a user
of each of the suite's own groups, so that a screen a group may open but not
use (a field, a filter or a report it cannot read) fails too.

The dashboards the suite ships are opened each in turn, loaded with their
data: a chart that cannot be drawn, a formula in error or a chart that
opens no records fails.

The apps, groups and dashboards are those the suite's modules define (by
their external ids), so that a new module's screens are covered without
new test code.
"""

from odoo.tests import HttpCase, new_test_user, tagged

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('%s');"
)

# Opens the dashboard, waits for its data, then checks every sheet: each
# chart figure has its chart, each chart draws and links to a menu with an
# action (what a click on it opens), and no cell evaluates to an error.
DASHBOARD_CHECK = """
(async () => {
    const env = odoo.__WOWL_DEBUG__.root.env;
    await env.services.action.doAction({
        type: "ir.actions.client",
        tag: "action_spreadsheet_dashboard",
        params: { dashboard_id: %(dashboard_id)s },
    });
    const loader = env.services.spreadsheet_dashboard_loader;
    const dashboard = loader.getActiveDashboard();
    for (let wait = 0; dashboard.status !== "Loaded" && wait < 600; wait++) {
        if (dashboard.status === "Error") {
            throw new Error(`Dashboard %(name)s did not load: ${dashboard.error}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const model = dashboard.model;
    const { waitForDataLoaded } = odoo.loader.modules.get("@spreadsheet/helpers/model");
    await waitForDataLoaded(model);
    const getters = model.getters;
    const { toXC } = odoo.loader.modules.get("@odoo/o-spreadsheet").helpers;
    const problems = [];
    for (const sheetId of getters.getSheetIds()) {
        const sheet = getters.getSheetName(sheetId);
        for (const figure of getters.getFigures(sheetId)) {
            if (figure.tag === "chart" && !getters.getChartIdFromFigureId(figure.id)) {
                problems.push(`${sheet}: no chart for figure ${figure.id}`);
            }
        }
        for (const chartId of getters.getChartIds(sheetId)) {
            const title = getters.getChartDefinition(chartId).title?.text || chartId;
            try {
                getters.getChartRuntime(chartId);
            } catch (error) {
                problems.push(`${sheet}: chart ${title} cannot be drawn: ${error.message}`);
            }
            if (!getters.getChartOdooMenu(chartId)?.actionID) {
                problems.push(`${sheet}: chart ${title} opens no records`);
            }
        }
        for (const position of getters.getEvaluatedCellsPositions(sheetId)) {
            const cell = getters.getEvaluatedCell(position);
            if (cell.type === "error") {
                const xc = toXC(position.col, position.row);
                problems.push(`${sheet}!${xc}: ${cell.value} ${cell.message || ""}`);
            }
        }
    }
    if (problems.length) {
        throw new Error(`Dashboard %(name)s:\\n${problems.join("\\n")}`);
    }
    // Let the figures render: a chart component that fails raises here.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (document.querySelector(".o_error_dialog")) {
        throw new Error("Dashboard %(name)s: an error dialog opened");
    }
    console.log("test successful");
})();
"""


def suite_records(env, model):
    """The records of ``model`` the suite's modules define."""
    data = env['ir.model.data'].search([('model', '=', model), ('module', '=like', 'aftersales\\_%')])
    return env[model].browse(data.mapped('res_id')).exists()


@tagged('post_install', '-at_install')
class TestClickEverywhere(HttpCase):
    """The clickbot over each of the suite's apps, as each kind of user."""

    def _click_everywhere(self, user):
        user.tour_enabled = False
        roots = suite_records(self.env, 'ir.ui.menu').filtered(lambda menu: not menu.parent_id)
        visible = roots.with_user(user)._filter_visible_menus()
        self.assertTrue(roots, "the suite defines no app")
        for app in visible:
            with self.subTest(app=app.name, user=user.login):
                self.browser_js(
                    "/odoo", CLICKBOT % app.get_external_id()[app.id], "odoo.isReady === true",
                    login=user.login, timeout=900, success_signal="clickbot test succeeded",
                )

    def test_click_everywhere_as_administrator(self):
        self._click_everywhere(self.env.ref('base.user_admin'))

    def test_click_everywhere_as_each_suite_group(self):
        groups = suite_records(self.env, 'res.groups')
        self.assertTrue(groups, "the suite defines no group")
        for group in groups:
            xmlid = group.get_external_id()[group.id]
            user = new_test_user(
                self.env, login=f"clickbot_{xmlid.replace('.', '_')}", groups=xmlid,
            )
            self._click_everywhere(user)


@tagged('post_install', '-at_install')
class TestDashboards(HttpCase):
    """Each dashboard the suite ships opens, loads its data and draws, for a
    user of each group it is published to."""

    def test_every_suite_dashboard_opens_without_error(self):
        dashboards = suite_records(self.env, 'spreadsheet.dashboard')
        self.assertTrue(dashboards, "the suite ships no dashboard")
        users = {}
        for dashboard in dashboards:
            for group in dashboard.group_ids or self.env.ref('base.group_user'):
                if group not in users:
                    users[group] = new_test_user(
                        self.env, login=f"dashboard_user_{group.id}", tour_enabled=False,
                        groups=group.get_external_id()[group.id],
                    )
                with self.subTest(dashboard=dashboard.name, group=group.name):
                    self.browser_js(
                        "/odoo", DASHBOARD_CHECK % {'dashboard_id': dashboard.id, 'name': dashboard.name},
                        "odoo.isReady === true", login=users[group].login, timeout=120,
                    )
