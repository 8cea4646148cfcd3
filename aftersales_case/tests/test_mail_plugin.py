from odoo import Command
from odoo.addons.http_routing.tests.common import MockRequest
from odoo.addons.mail_plugin.tests.common import (
    TestMailPluginControllerCommon,
    mock_auth_method_outlook,
)
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers.mail_plugin import MailPluginController


@tagged('post_install', '-at_install')
class TestAftersalesMailPlugin(TestMailPluginControllerCommon):
    """The plugin user is mail_plugin's ``employee``; tests give it the agent group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env['res.partner'].create({
            'name': "Customer Co", 'is_company': True, 'email': 'info@customer.example',
        })
        cls.sender = cls.env['res.partner'].create({
            'name': "Carla Contact", 'parent_id': cls.customer.id,
            'email': 'carla@customer.example',
        })
        cls.colleague = cls.env['res.partner'].create({
            'name': "Colin Colleague", 'parent_id': cls.customer.id,
        })
        cls.stranger = cls.env['res.partner'].create({'name': "Elsewhere Ltd", 'is_company': True})
        cls.agent_other = new_test_user(
            cls.env, login='as_plugin_other', groups='aftersales_case.aftersales_group_user',
        )
        cls.team_other = cls.env['aftersales.team'].create({
            'name': "Other Desk", 'member_ids': [Command.link(cls.agent_other.id)],
        })

    def setUp(self):
        super().setUp()
        self.team = self.env['aftersales.team'].create({'name': "Plugin Desk"})

    def _make_agent(self):
        self.user_test.group_ids |= self.env.ref('aftersales_case.aftersales_group_user')
        self.team.member_ids = [Command.link(self.user_test.id)]

    def _create_case(self, partner, **values):
        return self.env['aftersales.case'].create({
            'subject': "The printer jams", 'partner_id': partner.id, 'team_id': self.team.id,
            **values,
        })

    def _partner_get(self, partner):
        return self.make_jsonrpc_request('/mail_plugin/partner/get', {'partner_id': partner.id})

    def _case_ids(self, result):
        return [case['case_id'] for case in result['cases']]

    # Contact panel

    @mock_auth_method_outlook('employee')
    def test_contact_panel_hides_cases_from_users_without_after_sales_rights(self):
        self._create_case(self.sender)
        result = self._partner_get(self.sender)
        self.assertEqual(result['partner']['id'], self.sender.id)
        self.assertNotIn('cases', result)

    @mock_auth_method_outlook('employee')
    def test_contact_panel_lists_the_senders_cases_open_first(self):
        self._make_agent()
        closed = self._create_case(self.sender, user_id=self.user_test.id)
        closed.stage_id = self.env.ref('aftersales_case.stage_solved')
        open_case = self._create_case(self.sender)
        about_colleague = self._create_case(self.colleague)
        as_contact_person = self._create_case(self.customer, contact_id=self.sender.id)
        self._create_case(self.stranger)
        result = self._partner_get(self.sender)
        self.assertEqual(self._case_ids(result)[-1], closed.id)
        self.assertCountEqual(
            self._case_ids(result), [closed.id, open_case.id, as_contact_person.id],
        )
        self.assertNotIn(about_colleague.id, self._case_ids(result))
        listed = next(case for case in result['cases'] if case['case_id'] == open_case.id)
        self.assertEqual(listed['name'], open_case.name)
        self.assertEqual(listed['subject'], "The printer jams")
        self.assertFalse(listed['is_closed'])

    @mock_auth_method_outlook('employee')
    def test_contact_panel_of_a_company_lists_its_contacts_cases(self):
        self._make_agent()
        cases = self._create_case(self.sender) | self._create_case(self.colleague)
        result = self._partner_get(self.customer)
        self.assertCountEqual(self._case_ids(result), cases.ids)

    @mock_auth_method_outlook('employee')
    def test_contact_panel_shows_only_cases_the_agent_may_read(self):
        self._make_agent()
        mine = self._create_case(self.sender)
        other_team = self._create_case(self.sender, team_id=self.team_other.id)
        result = self._partner_get(self.sender)
        self.assertEqual(self._case_ids(result), mine.ids)
        self.assertNotIn(other_team.id, self._case_ids(result))

    @mock_auth_method_outlook('employee')
    def test_contact_panel_of_an_unknown_sender_has_an_empty_case_list(self):
        self._make_agent()
        result = self.make_jsonrpc_request('/mail_plugin/partner/get', {
            'email': 'new.sender@nowhere.example', 'name': "New Sender",
        })
        self.assertEqual(result['partner']['id'], -1)
        self.assertEqual(result['cases'], [])

    # Case creation

    @mock_auth_method_outlook('employee')
    def test_agent_creates_a_case_from_an_email(self):
        self._make_agent()
        result = self.make_jsonrpc_request('/mail_plugin/case/create', {
            'partner_id': self.sender.id,
            'email_subject': "Printer jams\n  again &amp; again",
            'email_body': "<p>It jams after each page.</p>",
        })
        case = self.env['aftersales.case'].browse(result['case_id'])
        self.assertRecordValues(case, [{
            'subject': "Printer jams again & again",
            'partner_id': self.sender.id,
            'commercial_partner_id': self.customer.id,
            'team_id': self.team.id,
            'origin_id': self.env.ref('aftersales_case.origin_email').id,
        }])
        self.assertIn("It jams after each page.", case.description)
        self.assertEqual(result['name'], case.display_name)

    @mock_auth_method_outlook('employee')
    def test_case_from_an_email_without_subject_is_named_after_the_sender(self):
        self._make_agent()
        result = self.make_jsonrpc_request('/mail_plugin/case/create', {
            'partner_id': self.sender.id, 'email_subject': "", 'email_body': "<p>Hello</p>",
        })
        case = self.env['aftersales.case'].browse(result['case_id'])
        self.assertIn("Carla Contact", case.subject)

    @mock_auth_method_outlook('employee')
    def test_case_from_an_email_with_a_huge_subject_gets_it_cut(self):
        self._make_agent()
        result = self.make_jsonrpc_request('/mail_plugin/case/create', {
            'partner_id': self.sender.id, 'email_subject': "<span>Jam</span> " * 100000,
            'email_body': "<p>Hello</p>",
        })
        case = self.env['aftersales.case'].browse(result['case_id'])
        self.assertEqual(len(case.subject), 250)
        self.assertTrue(case.subject.startswith("Jam Jam Jam"))

    @mock_auth_method_outlook('employee')
    def test_case_create_for_an_unknown_partner_creates_nothing(self):
        self._make_agent()
        count = self.env['aftersales.case'].search_count([])
        result = self.make_jsonrpc_request('/mail_plugin/case/create', {
            'partner_id': 999999999, 'email_subject': "Hi", 'email_body': "<p>Hi</p>",
        })
        self.assertEqual(result, {'error': 'partner_not_found'})
        self.assertEqual(self.env['aftersales.case'].search_count([]), count)

    @mock_auth_method_outlook('employee')
    def test_case_create_with_a_malformed_partner_id_is_an_unknown_partner(self):
        self._make_agent()
        for partner_id in ("abc", 2**64, -1, None):
            with self.subTest(partner_id=partner_id):
                result = self.make_jsonrpc_request('/mail_plugin/case/create', {
                    'partner_id': partner_id, 'email_subject': "Hi", 'email_body': "<p>Hi</p>",
                })
                self.assertEqual(result, {'error': 'partner_not_found'})

    @mock_auth_method_outlook('employee')
    def test_case_create_for_a_partner_of_another_company_is_refused_like_an_unknown_one(self):
        self._make_agent()
        company_b = self.env['res.company'].create({'name': "Plugin Company B"})
        hidden = self.env['res.partner'].create({'name': "Hidden", 'company_id': company_b.id})
        with mute_logger('odoo.addons.base.models.ir_rule'):
            result = self.make_jsonrpc_request('/mail_plugin/case/create', {
                'partner_id': hidden.id, 'email_subject': "Hi", 'email_body': "<p>Hi</p>",
            })
        self.assertEqual(result, {'error': 'partner_not_found'})
        self.assertFalse(self.env['aftersales.case'].search([('partner_id', '=', hidden.id)]))

    @mock_auth_method_outlook('employee')
    def test_user_without_after_sales_rights_cannot_create_a_case(self):
        with mute_logger('odoo.http', 'odoo.addons.base.models.ir_model'), \
                self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail_plugin/case/create', {
                'partner_id': self.sender.id, 'email_subject': "Hi", 'email_body': "<p>Hi</p>",
            })
        self.assertFalse(self.env['aftersales.case'].search([('partner_id', '=', self.sender.id)]))

    # Logging the e-mail

    @mock_auth_method_outlook('employee')
    def test_agent_logs_an_email_on_a_case(self):
        self._make_agent()
        case = self._create_case(self.sender)
        self.make_jsonrpc_request('/mail_plugin/log_mail_content', {
            'model': 'aftersales.case', 'res_id': case.id,
            'message': "<p>Forwarded: the drum is cracked.</p>",
        })
        self.assertIn("the drum is cracked", case.message_ids[0].body)

    @mock_auth_method_outlook('employee')
    def test_logging_on_cases_is_forbidden_without_after_sales_rights(self):
        case = self._create_case(self.sender)
        with mute_logger('odoo.http'), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail_plugin/log_mail_content', {
                'model': 'aftersales.case', 'res_id': case.id, 'message': "<p>Sneaky</p>",
            })
        self.assertFalse(case.message_ids.filtered(lambda m: "Sneaky" in (m.body or "")))

    @mock_auth_method_outlook('employee')
    @mute_logger('odoo.http', 'odoo.addons.base.models.ir_rule')
    def test_agent_cannot_log_on_another_teams_case(self):
        self._make_agent()
        case = self._create_case(self.sender, team_id=self.team_other.id)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail_plugin/log_mail_content', {
                'model': 'aftersales.case', 'res_id': case.id, 'message': "<p>Sneaky</p>",
            })
        self.assertFalse(case.message_ids.filtered(lambda m: "Sneaky" in (m.body or "")))

    # Whitelists

    def test_whitelists_follow_the_users_rights(self):
        controller = MailPluginController()
        with MockRequest(self.env(user=self.user_test)):
            self.assertNotIn('aftersales.case', controller._mail_content_logging_models_whitelist())
            self.assertNotIn('aftersales_case', controller._translation_modules_whitelist())
        self._make_agent()
        with MockRequest(self.env(user=self.user_test)):
            self.assertIn('aftersales.case', controller._mail_content_logging_models_whitelist())
            self.assertIn('aftersales_case', controller._translation_modules_whitelist())

