"""Journey of a support manager, in headless Chromium: from the Support
dashboard's escalations figure into the escalated cases."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged('post_install', '-at_install')
class TestJourneyDashboard(HttpCase):

    def test_manager_drills_from_the_escalations_figure_into_the_cases(self):
        manager = new_test_user(
            self.env, login='journey_support_manager', tour_enabled=False,
            groups='aftersales_case.aftersales_group_manager',
        )
        team = self.env['aftersales.team'].create({'name': "Journey Desk"})
        customer = self.env['res.partner'].create({'name': "Journey Heating Ltd", 'is_company': True})
        case = self.env['aftersales.case'].create({
            'subject': "Boiler keeps failing", 'partner_id': customer.id, 'team_id': team.id,
        })
        case._escalate("The customer called three times.", case.create_date)
        self.assertEqual(case.escalation_level, 1)
        self.start_tour('/odoo', 'aftersales_journey_dashboard', login=manager.login)
