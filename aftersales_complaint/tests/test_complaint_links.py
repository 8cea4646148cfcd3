from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import AftersalesComplaintCommon


@tagged('post_install', '-at_install')
class TestComplaintLinks(AftersalesComplaintCommon):

    def test_invoice_fills_customer_products_amount_currency(self):
        currency = self.setup_other_currency('EUR')
        invoice = self._create_invoice(currency=currency)
        invoice.action_post()
        with Form(self.env['aftersales.complaint']) as form:
            form.title = "Wrong prices"
            form.invoice_id = invoice
            self.assertEqual(form.partner_id, self.customer)
        complaint = form.record
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.product_ids, self.product_a | self.product_b)
        self.assertEqual(complaint.amount, 250.0)
        self.assertEqual(complaint.currency_id, currency)

    def test_amount_entered_by_hand_without_document(self):
        complaint = self._create_complaint(amount=80.0)
        self.assertEqual(complaint.amount, 80.0)
        self.assertEqual(complaint.currency_id, self.company.currency_id)

    def test_sale_order_fills_customer_and_products(self):
        order = self.env['sale.order'].create({
            'partner_id': self.customer.id,
            'order_line': [Command.create({'product_id': self.product_a.id, 'product_uom_qty': 3,
                                           'price_unit': 10.0, 'tax_ids': False})],
        })
        complaint = self.env['aftersales.complaint'].create({
            'title': "Missing parts", 'sale_order_id': order.id,
        })
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.product_ids, self.product_a)
        self.assertEqual(complaint.amount, 30.0)

    def test_case_makes_complaint_linked_both_ways(self):
        case = self.env['aftersales.case'].create({
            'subject': "Delivery came two weeks late",
            'partner_id': self.customer.id,
            'contact_id': self.contact.id,
            'description': "<p>The fitters had to come twice.</p>",
            'product_ids': [Command.set(self.product_a.ids)],
        })
        action = case.with_user(self.agent).action_make_complaint()
        complaint = self.env['aftersales.complaint'].browse(action['res_id'])
        self.assertEqual(complaint.case_id, case)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_ids, self.contact)
        self.assertEqual(complaint.title, "Delivery came two weeks late")
        self.assertIn("fitters", complaint.description)
        self.assertEqual(complaint.product_ids, self.product_a)
        self.assertEqual(case.complaint_ids, complaint)
        self.assertEqual(case.complaint_count, 1)
        self.assertEqual(case.action_view_complaints()['res_id'], complaint.id)
        self.assertEqual(complaint.action_view_case()['res_id'], case.id)
        again = case.with_user(self.agent).action_make_complaint()
        self.assertEqual(again['res_id'], complaint.id, "a second call files no second complaint")
        self.assertEqual(case.complaint_ids, complaint)
        complaint.rejection_reason = "Not our fitters."
        complaint.with_user(self.agent).action_reject()
        fresh = case.with_user(self.agent).action_make_complaint()
        self.assertNotEqual(fresh['res_id'], complaint.id, "a rejected complaint does not block a new one")
        with self.assertRaises(AccessError):
            case.with_user(self.case_user).action_make_complaint()

    def test_partner_complaint_count(self):
        other = self.partner_b
        self._create_complaint()
        self._create_complaint(partner_id=self.contact.id)
        self._create_complaint(partner_id=other.id)
        partners = (self.customer | self.contact | other).with_user(self.agent)
        self.assertEqual(partners.mapped('aftersales_complaint_count'), [2, 2, 1])
        action = self.customer.with_user(self.agent).action_view_aftersales_complaints()
        self.assertEqual(action['context']['default_partner_id'], self.customer.id)
        self.assertEqual(self.env['aftersales.complaint'].search_count(action['domain']), 2)
