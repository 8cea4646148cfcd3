from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaPurchaseCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestVendorReturnAccess(AftersalesRmaPurchaseCommon):
    """Agents send back the goods of returns they may change; purchase users
    and accountants credit them; nobody else does either."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purchase_agent = new_test_user(
            cls.env, login='rma_purchase_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,purchase.group_purchase_user',
        )
        cls.stock_agent = new_test_user(
            cls.env, login='rma_stock_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,stock.group_stock_user',
        )
        cls.team.member_ids |= cls.purchase_agent | cls.stock_agent

    def setUp(self):
        super().setUp()
        self._purchase([(self.lamp, 5)])
        self.rma = self._returned([(self.lamp, 2, 'refund', None)])

    # Sending back

    def test_an_agent_without_stock_or_purchase_rights_sends_goods_back(self):
        self.assertFalse(self.agent.has_group('stock.group_stock_user'))
        self.assertFalse(self.agent.has_group('purchase.group_purchase_user'))
        vendor_return = self._return_to_vendor(self.rma, user=self.agent)
        self.assertEqual(vendor_return.move_ids.product_uom_qty, 2)
        self.assertEqual(self.rma.with_user(self.agent).vendor_picking_count, 0,
                         "the agent may not open transfers: no button to a list that fails")

    def test_the_wizard_ends_on_the_transfer_only_for_those_who_may_open_it(self):
        for user, model in ((self.agent, None), (self.stock_agent, 'stock.picking')):
            with self.subTest(user=user.login):
                rma = self._returned([(self.lamp, 1, 'refund', None)])
                wizard = self.env['aftersales.rma.vendor.return'].with_user(user).create({'rma_id': rma.id})
                action = wizard.action_confirm()
                self.assertEqual(action.get('res_model'), model)
                self.assertEqual(rma.vendor_picking_count, 1)

    def test_an_agent_of_another_team_cannot_send_goods_back(self):
        rma = self.rma.with_user(self.agent_other)
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            rma.action_return_to_vendor()
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            rma._return_to_vendor({self.rma.line_ids: 1})
        self.assertFalse(self.rma.vendor_picking_ids)

    def test_the_wizard_of_another_teams_return_cannot_be_opened(self):
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            Form(self.env(user=self.agent_other)['aftersales.rma.vendor.return'].with_context(
                default_rma_id=self.rma.id,
            ))

    def test_a_plain_internal_user_can_do_neither(self):
        rma = self.rma.with_user(self.internal_user)
        for action in (rma.action_return_to_vendor, rma.action_vendor_credit):
            with self.subTest(action=action.__name__), mute_logger(*ACCESS_LOGGERS), \
                    self.assertRaises(AccessError):
                action()

    def test_purchase_users_and_accountants_cannot_send_goods_back(self):
        for user in (self.purchase_user, self.accountant, self.warehouse_user):
            with self.subTest(user=user.login), mute_logger(*ACCESS_LOGGERS), \
                    self.assertRaises(AccessError):
                self.rma.with_user(user)._return_to_vendor({self.rma.line_ids: 1})
        self.assertFalse(self.rma.vendor_picking_ids)

    def test_stock_wizard_cannot_link_goods_to_a_return(self):
        receipt = self.env['stock.picking'].search([
            ('picking_type_code', '=', 'incoming'), ('partner_id', '=', self.vendor.id),
        ])
        wizard = Form(self.env(user=self.warehouse_user)['stock.return.picking'].with_context(
            active_id=receipt.id, active_model='stock.picking',
        )).save()
        wizard.write({'aftersales_vendor_rma_id': self.rma.id})
        wizard.product_return_moves.write({'quantity': 1, 'aftersales_vendor_line_id': self.rma.line_ids.id})
        with self.assertRaisesText(UserError, "Return to Vendor on the return"):
            wizard.action_create_returns()
        self.assertFalse(self.rma.line_ids.vendor_move_ids)

    # Crediting

    def test_a_purchase_user_without_after_sales_rights_credits_the_goods(self):
        self._validate(self._return_to_vendor(self.rma))
        action = self.rma.with_user(self.purchase_user).action_vendor_credit()
        self.assertEqual(action['res_id'], self.rma.vendor_credit_note_ids.id)
        self.assertEqual(self.rma.with_user(self.purchase_user).vendor_credit_note_count, 1)

    def test_an_accountant_credits_the_goods(self):
        self._validate(self._return_to_vendor(self.rma))
        self.rma.with_user(self.accountant).action_vendor_credit()
        self.assertEqual(self.rma.vendor_credit_note_ids.move_type, 'in_refund')

    def test_purchasing_credits_the_returns_of_any_team(self):
        rma = self._returned([(self.lamp, 1, 'refund', None)], team=self.team_other)
        self._validate(self._return_to_vendor(rma, user=self.agent_other))
        self.assertNotIn(self.purchase_agent, self.team_other.member_ids)
        rma.with_user(self.purchase_agent).action_vendor_credit()
        self.assertTrue(rma.vendor_credit_note_ids)

    def test_an_agent_without_purchase_or_accounting_rights_cannot_credit(self):
        self._validate(self._return_to_vendor(self.rma))
        with mute_logger(*ACCESS_LOGGERS), \
                self.assertRaisesText(AccessError, "purchase users and accountants"):
            self.rma.with_user(self.agent).action_vendor_credit()
        self.assertFalse(self.rma.vendor_credit_note_ids)

    def test_the_warehouse_cannot_credit(self):
        self._validate(self._return_to_vendor(self.rma))
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            self.rma.with_user(self.warehouse_user).action_vendor_credit()
        self.assertFalse(self.rma.vendor_credit_note_ids)

    def test_purchase_users_open_the_return_form(self):
        self._validate(self._return_to_vendor(self.rma))
        Rma = self.env['aftersales.rma'].with_user(self.purchase_user)
        views = Rma.get_views([(False, 'form')])
        self.assertIn('action_vendor_credit', views['views']['form']['arch'])
        self.assertNotIn('action_return_to_vendor', views['views']['form']['arch'])
        form_fields = views['models']['aftersales.rma']['fields']
        self.env.invalidate_all()
        values = Rma.browse(self.rma.id).web_read({name: {} for name in form_fields})
        self.assertEqual(values[0]['vendor_picking_count'], 1)

    def test_purchase_users_only_read_returns(self):
        rma = self.rma.with_user(self.purchase_user)
        self.assertEqual(rma.line_ids.qty_received, 2)
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            rma.write({'description': "Changed by purchasing"})
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            rma.action_approve()
