from odoo.tests import new_test_user, tagged

from .common import AftersalesCaseCommon


@tagged('post_install', '-at_install')
class TestCaseAccessToken(AftersalesCaseCommon):
    """SECURITY.md PA3: a case's link is renewed when the case changes customer,
    or when its contact person moves to another company; the links the former
    customer holds then open nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env['res.partner'].create({
            'name': "Other Co", 'is_company': True, 'email': 'info@other.example',
        })
        cls.colleague = cls.env['res.partner'].create({
            'name': "Colin Colleague", 'parent_id': cls.customer.id, 'email': 'colin@customer.example',
        })
        # Moves contacts between companies, and cannot read a single case.
        cls.partner_manager = new_test_user(
            cls.env, login='as_partner_manager', groups='base.group_user,base.group_partner_manager',
        )
        cls.public = cls.env.ref('base.public_user')

    def setUp(self):
        super().setUp()
        self.case = self._create_case(contact_id=self.contact.id)
        self.token = self.case._portal_ensure_token()
        self.signed = self.case._sign_token(self.contact.id)

    def _opens(self, **credentials):
        """Whether the case's chatter opens to an anonymous visitor with ``credentials``."""
        return bool(self.env['aftersales.case'].with_user(self.public)._get_thread_with_access(
            self.case.id, **credentials,
        ))

    def _assert_renewed(self):
        self.assertFalse(self._opens(token=self.token))
        self.assertFalse(self._opens(hash=self.signed, pid=self.contact.id))
        self.assertTrue(self.case.access_token)
        self.assertTrue(self._opens(token=self.case.access_token))

    def test_shared_link_opens_the_case(self):
        self.assertTrue(self._opens(token=self.token))
        self.assertTrue(self._opens(hash=self.signed, pid=self.contact.id))

    def test_new_customer_renews_the_token(self):
        self.case.with_user(self.agent).write({
            'partner_id': self.other_customer.id, 'contact_id': False,
        })
        self._assert_renewed()

    def test_contact_moving_to_another_company_renews_the_token(self):
        self.contact.with_user(self.partner_manager).parent_id = self.other_customer
        self._assert_renewed()

    def test_customer_joining_a_company_renews_the_token(self):
        person = self.env['res.partner'].create({'name': "Paul Private", 'email': 'paul@private.example'})
        self.case.write({'partner_id': person.id, 'contact_id': False})
        self.token = self.case.access_token
        person.with_user(self.partner_manager).parent_id = self.other_customer
        self.assertFalse(self._opens(token=self.token))

    def test_another_contact_of_the_same_customer_keeps_the_token(self):
        self.case.with_user(self.agent).contact_id = self.colleague
        self.assertEqual(self.case.access_token, self.token)
        self.assertTrue(self._opens(token=self.token))

    def test_colleague_moving_away_keeps_the_token(self):
        self.colleague.with_user(self.partner_manager).parent_id = self.other_customer
        self.assertEqual(self.case.access_token, self.token)

    def test_case_never_shared_gets_no_token(self):
        case = self._create_case()
        case.partner_id = self.other_customer
        self.assertFalse(case.access_token)
