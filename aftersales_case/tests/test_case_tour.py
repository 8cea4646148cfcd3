from odoo.tests import HttpCase, new_test_user, tagged


@tagged('post_install', '-at_install')
class TestCaseTour(HttpCase):
    """An agent opens a case in the browser, as they would all day."""

    def test_agent_creates_a_case_from_the_desk(self):
        agent = new_test_user(
            self.env, login='tour_agent_one', groups='aftersales_case.aftersales_group_user',
        )
        self.env['aftersales.team'].create({'name': "Tour Desk", 'member_ids': [agent.id]})
        customer = self.env['res.partner'].create({'name': "Tour Customer Ltd", 'is_company': True})
        self.start_tour(
            "/odoo/action-aftersales_case.aftersales_case_action/new", 'aftersales_case_tour',
            login=agent.login,
        )
        case = self.env['aftersales.case'].search([('subject', '=', "Printer jams on page two")])
        self.assertEqual(case.partner_id, customer)
        self.assertEqual(case.stage_id, self.env.ref('aftersales_case.stage_new'))
        self.assertEqual(case.create_uid, agent)
