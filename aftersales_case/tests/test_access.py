from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCaseCommon


@tagged('post_install', '-at_install')
class TestAccess(AftersalesCaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_mine = cls._create_case(user_id=cls.agent.id)
        cls.case_team = cls._create_case()
        cls.case_other_team = cls._create_case(team_id=cls.team_other.id)
        cls.case_no_team = cls._create_case(team_id=False)
        cls.root_menu = cls.env.ref('aftersales_case.aftersales_menu_root')
        cls.config_menu = cls.env.ref('aftersales_case.aftersales_menu_config')

    def _visible_menus(self, user):
        return self.env['ir.ui.menu'].with_user(user)._visible_menu_ids()

    def test_groups_exist_under_one_privilege(self):
        privilege = self.env.ref('aftersales_case.aftersales_privilege')
        self.assertEqual(
            (self.group_agent | self.group_all | self.group_manager).privilege_id, privilege,
        )
        self.assertIn(self.group_agent, self.group_manager.all_implied_ids)

    def test_plain_internal_user_sees_no_menu_and_no_case(self):
        self.assertNotIn(self.root_menu.id, self._visible_menus(self.internal_user))
        with mute_logger('odoo.addons.base.models.ir_model'), self.assertRaises(AccessError):
            self.env['aftersales.case'].with_user(self.internal_user).search([])

    def test_agent_sees_the_menu_but_not_the_configuration(self):
        menus = self._visible_menus(self.agent)
        self.assertIn(self.root_menu.id, menus)
        self.assertNotIn(self.config_menu.id, menus)
        self.assertIn(self.config_menu.id, self._visible_menus(self.manager))

    def test_agent_sees_own_team_and_unassigned_cases_only(self):
        visible = self.env['aftersales.case'].with_user(self.agent).search([])
        self.assertIn(self.case_mine, visible)
        self.assertIn(self.case_team, visible)
        self.assertIn(self.case_no_team, visible)
        self.assertNotIn(self.case_other_team, visible)

    @mute_logger('odoo.addons.base.models.ir_rule')
    def test_agent_cannot_open_another_teams_case(self):
        with self.assertRaises(AccessError):
            self.case_other_team.with_user(self.agent).read(['subject'])

    @mute_logger('odoo.addons.base.models.ir_rule')
    def test_following_a_case_grants_nothing(self):
        self.case_other_team.message_subscribe(partner_ids=self.agent.partner_id.ids)
        with self.assertRaises(AccessError):
            self.case_other_team.with_user(self.agent).read(['subject'])

    def test_all_documents_agent_sees_every_case(self):
        visible = self.env['aftersales.case'].with_user(self.agent_all).search([])
        self.assertIn(self.case_other_team, visible)

    @mute_logger('odoo.addons.base.models.ir_model')
    def test_only_managers_configure(self):
        with self.assertRaises(AccessError):
            self.env['aftersales.case.type'].with_user(self.agent_all).create({'name': "X"})
        with self.assertRaises(AccessError):
            self.stage_new.with_user(self.agent_all).write({'name': "Renamed"})
        with self.assertRaises(AccessError):
            self.team.with_user(self.agent).write({'assignment_method': 'balanced'})
        self.env['aftersales.case.type'].with_user(self.manager).create({'name': "By Manager"})

    @mute_logger('odoo.addons.base.models.ir_model')
    def test_agents_do_not_delete_cases(self):
        with self.assertRaises(AccessError):
            self.case_mine.with_user(self.agent).unlink()

    @mute_logger('odoo.addons.base.models.ir_rule')
    def test_company_rule_hides_other_companies(self):
        other_company = self.env['res.company'].create({'name': "Other Company"})
        foreign = self.env['aftersales.case'].create({
            'subject': "Elsewhere", 'company_id': other_company.id, 'team_id': False,
        })
        manager = new_test_user(
            self.env, login='as_manager_a', groups='aftersales_case.aftersales_group_manager',
        )
        self.assertNotIn(foreign, self.env['aftersales.case'].with_user(manager).search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(manager).read(['subject'])
        # Allowed in the user's companies but not active: still hidden.
        manager.company_ids |= other_company
        scoped = self.env['aftersales.case'].with_user(manager).with_context(
            allowed_company_ids=[self.env.company.id]
        )
        self.assertNotIn(foreign, scoped.search([]))
