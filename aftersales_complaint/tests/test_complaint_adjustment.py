from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesComplaintCommon

BILLING_MANAGER_GROUPS = (
    'aftersales_complaint.aftersales_complaint_group_manager,account.group_account_invoice'
)


@tagged('post_install', '-at_install')
class TestComplaintAdjustment(AftersalesComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_manager = new_test_user(
            cls.env, login='cmp_billing_manager', name="Bea Billing", company_id=cls.company.id,
            groups=BILLING_MANAGER_GROUPS,
        )
        cls.billing_user = new_test_user(
            cls.env, login='cmp_billing', name="Bill Accountant", company_id=cls.company.id,
            groups='account.group_account_invoice',
        )
        cls.customer.email = "customer_a@example.com"
        cls.invoice = cls._create_invoice()
        cls.invoice.action_post()

    def _request(self, amount, **values):
        return self._create_complaint(adjustment_required=True, adjustment_amount=amount, **values)

    def _accept(self, complaint, user=None):
        complaint.with_user(user or self.billing_manager).action_accept_adjustment()
        return complaint.credit_note_ids

    def test_request_follows_the_checkbox(self):
        complaint = self._create_complaint()
        self.assertEqual(complaint.adjustment_state, 'none')
        complaint.adjustment_required = True
        self.assertEqual(complaint.adjustment_state, 'requested')
        self.assertEqual(complaint.adjustment_currency_id, complaint.currency_id)
        complaint.adjustment_required = False
        self.assertEqual(complaint.adjustment_state, 'none')

    def test_invoice_partner_defaults(self):
        billing = self.env['res.partner'].create({
            'name': "Accounts Payable", 'parent_id': self.customer.id, 'type': 'invoice',
        })
        self.assertEqual(self._request(10.0).adjustment_partner_id, billing)
        other = self._create_invoice(partner=self.contact)
        other.action_post()
        self.assertEqual(self._request(10.0, invoice_id=other.id).adjustment_partner_id, self.contact)

    def test_whole_invoice_is_reversed_by_account(self):
        complaint = self._request(250.0, invoice_id=self.invoice.id)
        credit_note = self._accept(complaint)
        self.assertRecordValues(credit_note, [{
            'move_type': 'out_refund',
            'state': 'draft',
            'amount_total': 250.0,
            'currency_id': self.invoice.currency_id.id,
            'partner_id': self.customer.id,
            'reversed_entry_id': self.invoice.id,
            'aftersales_complaint_id': complaint.id,
        }])
        self.assertEqual(credit_note.invoice_line_ids.product_id, self.product_a | self.product_b)
        self.assertIn(complaint.name, credit_note.ref)
        self.assertEqual(complaint.adjustment_state, 'accepted')
        self.assertEqual(complaint.credit_note_count, 1)
        self.assertEqual(complaint.action_view_credit_notes()['res_id'], credit_note.id)
        self.assertEqual(credit_note.action_view_aftersales_complaint()['res_id'], complaint.id)

    def test_partial_adjustment_in_foreign_currency(self):
        currency = self.setup_other_currency('CHF', rates=[('2000-01-01', 2.0)])
        invoice = self._create_invoice(currency=currency)
        invoice.action_post()
        complaint = self._request(100.0, invoice_id=invoice.id)
        self.assertEqual(complaint.adjustment_currency_id, currency)
        credit_note = self._accept(complaint)
        product = self.env.ref('aftersales_complaint.product_complaint_adjustment')
        self.assertRecordValues(credit_note, [{
            'move_type': 'out_refund',
            'state': 'draft',
            'currency_id': currency.id,
            'amount_total': 100.0,
            'amount_total_signed': -50.0,
            'partner_id': self.customer.id,
            'reversed_entry_id': invoice.id,
            'company_id': self.company.id,
        }])
        self.assertRecordValues(credit_note.invoice_line_ids, [
            {'product_id': product.id, 'quantity': 1.0, 'price_unit': 100.0},
        ])
        self.assertIn(complaint.name, credit_note.ref)
        self.assertEqual(complaint.credit_note_ids, credit_note)

    def test_company_adjustment_product_without_invoice(self):
        product = self.env['product.product'].create({'name': "Goodwill", 'type': 'service'})
        self.company.aftersales_complaint_adjustment_product_id = product
        complaint = self._request(40.0)
        credit_note = self._accept(complaint)
        self.assertRecordValues(credit_note, [{
            'move_type': 'out_refund', 'reversed_entry_id': False, 'partner_id': self.customer.id,
        }])
        self.assertEqual(credit_note.invoice_line_ids.product_id, product)

    def test_second_accept_makes_no_second_credit_note(self):
        complaint = self._request(30.0, invoice_id=self.invoice.id)
        self._accept(complaint)
        with self.assertRaisesText(UserError, "was already accepted"):
            complaint.with_user(self.billing_manager).action_accept_adjustment()
        self.assertEqual(len(complaint.credit_note_ids), 1)

    def test_bad_amounts_refused(self):
        for amount in (0.0, -5.0):
            complaint = self._request(amount)
            with self.assertRaisesText(UserError, "must be greater than zero"):
                complaint.with_user(self.billing_manager).action_accept_adjustment()
            self.assertFalse(complaint.credit_note_ids)
        complaint = self._request(250.01, invoice_id=self.invoice.id)
        with self.assertRaisesText(UserError, "requests more than invoice"):
            complaint.with_user(self.billing_manager).action_accept_adjustment()
        self.assertFalse(complaint.credit_note_ids)
        self.assertEqual(complaint.adjustment_state, 'requested')

    def test_invoice_reversed_elsewhere_refused(self):
        complaint = self._request(20.0, invoice_id=self.invoice.id)
        self.env['account.move.reversal'].with_context(
            active_model='account.move', active_ids=self.invoice.ids,
        ).create({'journal_id': self.invoice.journal_id.id}).refund_moves()
        self.invoice.reversal_move_ids.action_post()
        self.assertEqual(self.invoice.payment_state, 'reversed')
        with self.assertRaisesText(UserError, "not a posted invoice left to credit"):
            complaint.with_user(self.billing_manager).action_accept_adjustment()
        self.assertFalse(complaint.credit_note_ids)

    def test_nothing_requested_refused(self):
        complaint = self._create_complaint(adjustment_amount=20.0)
        with self.assertRaisesText(UserError, "has no sales adjustment requested"):
            complaint.with_user(self.billing_manager).action_accept_adjustment()

    def test_closed_complaint_decides_no_adjustment(self):
        complaint = self._request(20.0)
        complaint.action_cancel()
        with self.assertRaisesText(UserError, "is closed"):
            complaint.with_user(self.billing_manager).action_accept_adjustment()
        complaint.adjustment_rejection_reason = "Too late."
        with self.assertRaisesText(UserError, "is closed"):
            complaint.with_user(self.billing_manager).action_reject_adjustment()
        self.assertFalse(complaint.credit_note_ids)
        self.assertEqual(complaint.adjustment_state, 'requested')

    def test_rejection_letter_sent_to_customer(self):
        self.env['res.lang']._activate_lang('nl_NL')
        self.customer.lang = 'nl_NL'
        complaint = self._request(80.0)
        with self.assertRaisesText(UserError, "needs a reason"):
            complaint.with_user(self.manager).action_reject_adjustment()
        complaint.adjustment_rejection_reason = "The carrier caused the delay."
        with self.assertRaisesText(UserError, "Only complaint managers"):
            complaint.with_user(self.agent).action_reject_adjustment()
        complaint.with_user(self.manager).action_reject_adjustment()
        self.assertEqual(complaint.adjustment_state, 'rejected')
        self.assertFalse(complaint.credit_note_ids)
        message = complaint.message_ids.filtered(lambda m: m.message_type == 'comment')[:1]
        self.assertIn("The carrier caused the delay.", message.body)
        self.assertIn(complaint.name, message.body)
        self.assertIn("80,00", message.body, "amount written the Dutch way")
        self.assertIn(self.customer, message.partner_ids)
        mail = self.env['mail.mail'].sudo().search([('mail_message_id', '=', message.id)])
        self.assertIn(self.customer, mail.recipient_ids)
        template = self.env.ref('aftersales_complaint.mail_template_adjustment_rejected')
        self.assertEqual(template._render_lang(complaint.ids)[complaint.id], 'nl_NL')
        with self.assertRaisesText(UserError, "has no sales adjustment requested"):
            complaint.with_user(self.billing_manager).action_accept_adjustment()

    def test_agent_cannot_accept_nor_make_or_post_credit_notes(self):
        complaint = self._request(30.0)
        for user in (self.agent, self.manager):
            with self.assertRaisesText(UserError, "with Billing rights"):
                complaint.with_user(user).action_accept_adjustment()
        self.assertFalse(complaint.credit_note_ids)
        with mute_logger('odoo.addons.base.models.ir_model'), self.assertRaises(AccessError):
            self.env['account.move'].with_user(self.agent).create({
                'move_type': 'out_refund', 'partner_id': self.customer.id,
                'invoice_line_ids': [Command.create({'name': "Goodwill", 'price_unit': 30.0})],
            })
        credit_note = self._accept(complaint)
        with mute_logger('odoo.addons.base.models.ir_model'), self.assertRaises(AccessError):
            credit_note.with_user(self.agent).action_post()
        self.assertEqual(credit_note.state, 'draft')
        credit_note.with_user(self.billing_user).action_post()
        self.assertEqual(credit_note.state, 'posted')

    def test_credit_note_in_the_complaint_company(self):
        company_b = self.setup_other_company(name="Complaints B")['company']
        self.billing_manager.company_ids |= company_b
        complaint = self._request(60.0, company_id=company_b.id)
        credit_note = self._accept(
            complaint.with_context(allowed_company_ids=[self.company.id, company_b.id]),
        )
        self.assertEqual(credit_note.company_id, company_b)
        self.assertEqual(credit_note.journal_id.company_id, company_b)
        self.assertEqual(complaint.company_id, company_b)
