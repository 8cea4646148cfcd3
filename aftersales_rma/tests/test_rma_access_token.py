from odoo.tests import new_test_user, tagged

from .common import AftersalesRmaCommon


@tagged('post_install', '-at_install')
class TestRmaAccessToken(AftersalesRmaCommon):
    """SECURITY.md PA3: a return's link opens nothing once the return changes
    customer, or once its customer contact moves to another company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.env['res.partner'].create({'name': "Bea Buyer", 'parent_id': cls.customer.id})
        cls.other_customer = cls.env['res.partner'].create({'name': "Other Co", 'is_company': True})
        cls.partner_manager = new_test_user(
            cls.env, login='rma_partner_manager', groups='base.group_user,base.group_partner_manager',
        )
        cls.public = cls.env.ref('base.public_user')

    def setUp(self):
        super().setUp()
        order = self._deliver_order([(self.product_delivery, 2)], partner=self.buyer)
        self.rma = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)])
        self.token = self.rma._portal_ensure_token()

    def _opens(self, token):
        return bool(self.env['aftersales.rma'].with_user(self.public)._get_thread_with_access(
            self.rma.id, token=token,
        ))

    def test_token_opens_its_return(self):
        self.assertTrue(self._opens(self.token))

    def test_new_customer_renews_the_token(self):
        self.rma.write({'partner_id': self.other_customer.id, 'sale_order_id': False,
                        'line_ids': [(5, 0, 0)]})
        self.assertFalse(self._opens(self.token))
        self.assertTrue(self.rma.access_token, "a fresh token, not none: links are signed with it")

    def test_contact_moving_to_another_company_renews_the_token(self):
        self.buyer.with_user(self.partner_manager).parent_id = self.other_customer
        self.assertFalse(self._opens(self.token))
        self.assertTrue(self._opens(self.rma.access_token))

    def test_other_changes_of_the_contact_keep_the_token(self):
        self.buyer.with_user(self.partner_manager).function = "Purchaser"
        self.assertTrue(self._opens(self.token))
