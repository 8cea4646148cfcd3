from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCaseCommon


@tagged('post_install', '-at_install')
class TestAssignment(AftersalesCaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent_b = new_test_user(
            cls.env, login='as_agent_b', groups='aftersales_case.aftersales_group_user',
        )
        cls.agent_c = new_test_user(
            cls.env, login='as_agent_c', groups='aftersales_case.aftersales_group_user',
        )
        cls.members = (cls.agent | cls.agent_b | cls.agent_c).sorted('id')

    def test_manual_team_leaves_the_responsible_empty(self):
        self.assertFalse(self._create_case().user_id)

    def test_round_robin_takes_members_in_turn(self):
        self.team.write({'assignment_method': 'round_robin', 'member_ids': self.members.ids})
        cases = self.env['aftersales.case'].create([
            {'subject': f"Case {i}", 'team_id': self.team.id} for i in range(4)
        ])
        self.assertEqual(cases.mapped('user_id').ids, self.members.ids)
        self.assertEqual(cases[3].user_id, self.members[0])
        self.assertEqual(self._create_case().user_id, self.members[1])

    def test_balanced_gives_the_member_with_fewest_open_cases(self):
        self.team.write({'assignment_method': 'balanced', 'member_ids': self.members.ids})
        self._create_case(user_id=self.members[0].id)
        self._create_case(user_id=self.members[0].id)
        self._create_case(user_id=self.members[1].id)
        self.assertEqual(self._create_case().user_id, self.members[2])
        self.assertEqual(self._create_case().user_id, self.members[1])

    def test_balanced_ignores_closed_cases(self):
        self.team.write({'assignment_method': 'balanced', 'member_ids': self.members[:2].ids})
        closed = self._create_case(user_id=self.members[1].id)
        closed.stage_id = self.stage_solved
        self._create_case(user_id=self.members[0].id)
        self.assertEqual(self._create_case().user_id, self.members[1])

    def test_moving_a_case_to_an_automatic_team_assigns_it(self):
        self.team_other.write({'assignment_method': 'round_robin'})
        case = self._create_case()
        case.team_id = self.team_other
        self.assertEqual(case.user_id, self.agent_other)

    def test_automatic_team_needs_members(self):
        with self.assertRaisesText(ValidationError, "add its members first"):
            self.env['aftersales.team'].create({'name': "Empty", 'assignment_method': 'balanced'})

    def test_responsible_follows_the_case(self):
        case = self._create_case(user_id=self.agent.id)
        self.assertIn(self.agent.partner_id, case.message_partner_ids)
