from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesComplaintCommon


@tagged('post_install', '-at_install')
class TestComplaintInvoiceLink(AftersalesComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_a.invoice_policy = 'order'
        cls.billing_user = new_test_user(
            cls.env, login='cmp_link_billing', name="Bill Accountant", company_id=cls.company.id,
            groups='account.group_account_invoice',
        )
        cls.invoice_agent = new_test_user(
            cls.env, login='cmp_invoice_agent', name="Ivy Agent", company_id=cls.company.id,
            groups='aftersales_complaint.aftersales_complaint_group_user,account.group_account_invoice',
        )
        cls.sales_agent = new_test_user(
            cls.env, login='cmp_sales_agent', name="Sam Agent", company_id=cls.company.id,
            groups='aftersales_complaint.aftersales_complaint_group_user,'
                   'sales_team.group_sale_salesman_all_leads',
        )

    def _confirmed_order(self):
        order = self.env['sale.order'].create({
            'partner_id': self.customer.id,
            'order_line': [Command.create({'product_id': self.product_a.id, 'product_uom_qty': 3,
                                           'price_unit': 10.0, 'tax_ids': False})],
        })
        order.action_confirm()
        return order

    def test_posting_the_order_invoice_cites_it_on_the_complaint(self):
        order = self._confirmed_order()
        complaint = self._create_complaint(sale_order_id=order.id)
        complaint.amount = 12.0
        invoice = order._create_invoices()
        self.assertFalse(complaint.invoice_id, "a draft invoice is not cited")
        invoice.with_user(self.billing_user).action_post()
        self.assertEqual(complaint.invoice_id, invoice)
        self.assertEqual(complaint.amount, 12.0, "the customer's claim stays as filed")
        self.assertIn(invoice.name, complaint.message_ids[0].body)
        self.assertIn(complaint.name, invoice.message_ids[0].body)

    def test_posting_several_invoices_cites_each_on_its_complaint(self):
        orders = self._confirmed_order() | self._confirmed_order()
        complaints = self._create_complaint(sale_order_id=orders[0].id) \
            | self._create_complaint(sale_order_id=orders[1].id)
        invoices = orders[0]._create_invoices() | orders[1]._create_invoices()
        invoices.action_post()
        self.assertEqual(complaints.mapped('invoice_id'), invoices)
        self.assertEqual(complaints[0].invoice_id.invoice_line_ids.sale_line_ids.order_id, orders[0])

    def test_closed_or_invoiced_complaints_not_relinked(self):
        order = self._confirmed_order()
        earlier = self._create_invoice()
        earlier.action_post()
        cancelled = self._create_complaint(sale_order_id=order.id)
        cancelled.action_cancel()
        posted = self._to_state(self._create_complaint(sale_order_id=order.id), 'posted')
        cited = self._create_complaint(sale_order_id=order.id, invoice_id=earlier.id)
        order._create_invoices().action_post()
        self.assertFalse(cancelled.invoice_id)
        self.assertFalse(posted.invoice_id)
        self.assertEqual(cited.invoice_id, earlier)

    def test_invoice_buttons(self):
        invoice = self._create_invoice()
        with self.assertRaisesText(UserError, "posted customer invoice"):
            invoice.with_user(self.invoice_agent).action_make_aftersales_complaint()
        invoice.action_post()
        invoice = invoice.with_user(self.invoice_agent)
        self.assertEqual(invoice.aftersales_complaint_count, 0)
        action = invoice.action_make_aftersales_complaint()
        complaint = self.env['aftersales.complaint'].browse(action['res_id'])
        self.assertRecordValues(complaint, [{
            'invoice_id': invoice.id, 'partner_id': self.customer.id, 'amount': 250.0,
            'state': 'draft', 'user_id': self.invoice_agent.id,
        }])
        self.assertEqual(invoice.action_make_aftersales_complaint()['res_id'], complaint.id)
        invoice.invalidate_recordset(['aftersales_complaint_count'])
        self.assertEqual(invoice.aftersales_complaint_count, 1)
        self.assertEqual(invoice.action_view_aftersales_complaints()['res_id'], complaint.id)
        with mute_logger('odoo.addons.base.models.ir_model'), self.assertRaises(AccessError):
            invoice.with_user(self.billing_user).action_make_aftersales_complaint()
        with self.assertRaises(AccessError):
            invoice.with_user(self.billing_user).read(['aftersales_complaint_count'])

    def test_sale_order_buttons(self):
        order = self._confirmed_order().with_user(self.sales_agent)
        self.assertEqual(order.aftersales_complaint_count, 0)
        action = order.action_make_aftersales_complaint()
        complaint = self.env['aftersales.complaint'].browse(action['res_id'])
        self.assertRecordValues(complaint, [{
            'sale_order_id': order.id, 'partner_id': self.customer.id, 'amount': 30.0,
        }])
        self.assertEqual(order.action_make_aftersales_complaint()['res_id'], complaint.id)
        complaint.action_cancel()
        second = order.action_make_aftersales_complaint()['res_id']
        self.assertNotEqual(second, complaint.id, "a cancelled complaint does not block a new one")
        order.invalidate_recordset(['aftersales_complaint_count'])
        self.assertEqual(order.aftersales_complaint_count, 2)
        action = order.action_view_aftersales_complaints()
        self.assertEqual(self.env['aftersales.complaint'].search_count(action['domain']), 2)

    def test_buttons_shown_to_complaint_users_only(self):
        for model, agent in (('account.move', self.invoice_agent), ('sale.order', self.sales_agent)):
            shown = self.env[model].with_user(agent).get_views([(False, 'form')])
            self.assertIn('action_make_aftersales_complaint', shown['views']['form']['arch'])
            self.assertIn('aftersales_complaint_count', shown['views']['form']['arch'])
        hidden = self.env['account.move'].with_user(self.billing_user).get_views([(False, 'form')])
        self.assertNotIn('aftersales_complaint', hidden['views']['form']['arch'])
