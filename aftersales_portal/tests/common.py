from odoo import Command, http
from odoo.addons.aftersales_rma.tests.common import AftersalesRmaCommon
from odoo.tests import HttpCase, new_test_user

PNG_1PX = (
    b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f'
    b'\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00'
    b'\x00\x00\x00IEND\xaeB`\x82'
)


class AftersalesPortalCommon(AftersalesRmaCommon, HttpCase):
    """Two customer companies, each with a portal user, an agent's team and
    the case types customers see; the pages are opened over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_company = cls.env['res.partner'].create({
            'name': "Portal Customer Ltd", 'is_company': True, 'email': 'info@portal-customer.example',
        })
        cls.customer_contact = cls.env['res.partner'].create({
            'name': "Anna Portal", 'parent_id': cls.customer_company.id,
            'email': 'anna@portal-customer.example',
        })
        cls.portal_user = new_test_user(
            cls.env, login='portal_anna', groups='base.group_portal', partner_id=cls.customer_contact.id,
        )
        cls.other_company = cls.env['res.partner'].create({
            'name': "Rival Trading Ltd", 'is_company': True, 'email': 'info@rival.example',
        })
        cls.other_portal_user = new_test_user(
            cls.env, login='portal_bert', groups='base.group_portal',
            partner_id=cls.env['res.partner'].create({
                'name': "Bert Rival", 'parent_id': cls.other_company.id, 'email': 'bert@rival.example',
            }).id,
        )
        cls.portal_team = cls.env['aftersales.team'].create({
            'name': "Portal Desk", 'member_ids': [Command.set(cls.agent.ids)],
        })
        cls.type_visible = cls.env['aftersales.case.type'].create({
            'name': "Portal Question", 'kind': 'question', 'portal_visible': True,
            'team_id': cls.portal_team.id,
        })
        cls.type_hidden = cls.env['aftersales.case.type'].create({
            'name': "Internal Audit Finding", 'kind': 'internal', 'team_id': cls.portal_team.id,
        })

    def _login(self, user):
        self.authenticate(user.login, user.login.ljust(8, 'x'))

    def _csrf(self):
        return http.Request.csrf_token(self)

    @classmethod
    def _create_portal_case(cls, partner, subject, **values):
        return cls.env['aftersales.case'].create({
            'partner_id': partner.id, 'subject': subject, 'type_id': cls.type_visible.id,
            'team_id': cls.portal_team.id, **values,
        })

    def _assert_redirected_home(self, response, *hidden_texts):
        """The answer to a forbidden or unknown document: the same 303 to /my,
        and nothing of the document in it."""
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers['Location'].endswith('/my'), response.headers['Location'])
        for text in hidden_texts:
            self.assertNotIn(text, response.text)

    def _count_queries(self, url):
        """Queries made to serve ``url``, once the caches are warm."""
        self.url_open(url).raise_for_status()
        self.env.flush_all()
        self.env.cr.flush()
        count0 = self.cr.sql_log_count
        self.url_open(url).raise_for_status()
        return self.cr.sql_log_count - count0
