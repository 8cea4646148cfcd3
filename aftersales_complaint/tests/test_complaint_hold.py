from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .. import uninstall_hook
from .reminder_common import AftersalesReminderCommon


@tagged('post_install', '-at_install')
class TestComplaintHold(AftersalesReminderCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._create_overdue_invoices(30)

    def _hold(self, invoice=None, **values):
        complaint = self._create_complaint(invoice_id=(invoice or self.invoice).id, **values)
        complaint.action_register()
        complaint.with_user(self.agent).action_hold_invoice()
        return complaint

    def _run_cron(self):
        self.patch(self.env.cr, 'commit', lambda: None)
        self.env['aftersales.reminder']._cron_send_reminders()
        return self._reminders(self.invoice)

    def _hold_of(self, complaint):
        return complaint.with_context(active_test=False).hold_ids

    def test_hold_excludes_the_invoice_from_follow_up(self):
        complaint = self._hold()
        hold = complaint.hold_ids
        self.assertRecordValues(hold, [{
            'move_id': self.invoice.id, 'state': 'active', 'previous_no_followup': False,
            'company_id': self.company.id,
        }])
        self.assertTrue(self.invoice.no_followup)
        self.assertTrue(self.invoice.is_held_by_complaint)
        self.assertEqual(self.invoice.aftersales_hold_complaint_names, complaint.name)
        self.assertEqual(
            self.env['account.move'].search([('is_held_by_complaint', '=', True)]), self.invoice,
        )
        self.assertEqual(complaint.hold_count, 1)
        for document in (complaint, self.invoice):
            self.assertIn("held from dunning", document.message_ids[0].body)

    def test_held_invoice_gets_no_reminder_until_the_complaint_is_cancelled(self):
        complaint = self._hold()
        self.assertFalse(self._run_cron(), "No reminder while the complaint is open")
        complaint.with_user(self.agent).action_cancel()
        self.assertFalse(self.invoice.no_followup)
        self.assertEqual(self._hold_of(complaint).state, 'released')
        self.assertIn("released", self.invoice.message_ids[0].body)
        reminders = self._run_cron()
        self.assertEqual(len(reminders), 1, "The released invoice is reminded again")
        self.assertEqual(reminders.level_id, self.firm)
        self.assertTrue(reminders.mail_id)

    def test_reject_and_fulfil_release_and_posting_changes_nothing(self):
        rejected = self._hold()
        rejected.rejection_reason = "Not our fault"
        rejected.with_user(self.agent).action_reject()
        self.assertEqual(self._hold_of(rejected).state, 'released')
        fulfilled = self._create_complaint(invoice_id=self.invoice.id)
        fulfilled.with_user(self.agent).action_hold_invoice()
        self._to_state(fulfilled, 'fulfilled')
        hold = self._hold_of(fulfilled)
        self.assertEqual(hold.state, 'released')
        released_on = hold.date_released
        fulfilled.with_user(self.manager).action_post()
        self.assertEqual(hold.date_released, released_on)
        self.assertFalse(self.invoice.no_followup)

    def test_two_complaints_release_the_invoice_only_when_both_are_closed(self):
        first, second = self._hold(), self._hold()
        first.with_user(self.agent).action_cancel()
        self.assertTrue(self.invoice.no_followup, "The second complaint still holds it")
        self.assertFalse(self._run_cron())
        second.with_user(self.agent).action_cancel()
        self.assertFalse(self.invoice.no_followup)
        self.assertEqual(len(self._run_cron()), 1)

    def test_invoice_excluded_before_stays_excluded_after_release(self):
        self.invoice.no_followup = True
        first, second = self._hold(), self._hold()
        self.assertEqual((first | second).hold_ids.mapped('previous_no_followup'), [True, True])
        (first | second).with_user(self.agent).action_cancel()
        self.assertTrue(self.invoice.no_followup)
        self.assertFalse(self._run_cron())

    def test_payment_releases_the_hold(self):
        complaint = self._hold()
        self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=self.invoice.ids,
        ).create({})._create_payments()
        self.assertIn(self.invoice.payment_state, ('paid', 'in_payment'))
        self.assertEqual(self._hold_of(complaint).state, 'released')
        self.assertFalse(self.invoice.no_followup)

    def test_release_wizard_sets_a_new_due_date(self):
        complaint = self._hold()
        new_due = self.today + timedelta(days=20)
        wizard = Form(self.env['aftersales.complaint.hold.release'].with_user(self.accountant).with_context(
            active_model='account.move', active_ids=self.invoice.ids,
        ))
        wizard.date_due = new_due
        wizard.save().action_release()
        self.assertEqual(self._hold_of(complaint).released_by_id, self.accountant)
        self.assertFalse(self.invoice.no_followup)
        self.assertEqual(self.invoice.invoice_date_due, new_due)
        receivable = self.invoice.line_ids.filtered(lambda line: line.account_type == 'asset_receivable')
        self.assertEqual(receivable.mapped('date_maturity'), [new_due])
        self.assertEqual(len(self.invoice.line_ids), 2)
        self.assertEqual(self.invoice.amount_residual, 250.0)
        self.assertFalse(self._run_cron(), "Not overdue any more")

    def test_release_wizard_counts_the_due_date_by_a_new_payment_term(self):
        complaint = self._hold()
        term = self.env.ref('account.account_payment_term_30days')
        wizard = Form(self.env['aftersales.complaint.hold.release'].with_user(self.accountant).with_context(
            active_model='aftersales.complaint.hold', active_ids=complaint.hold_ids.ids,
        ))
        wizard.payment_term_id = term
        self.assertEqual(wizard.date_due, self.today + timedelta(days=30))
        wizard.save().action_release()
        self.assertIn(term.name, self.invoice.message_ids[0].body)
        self.assertEqual(self.invoice.invoice_date_due, self.today + timedelta(days=30))
        self.assertEqual(len(self.invoice.line_ids), 2, "The posted invoice's lines are not rebuilt")
        self.invoice.no_followup = True
        self.assertEqual(self.invoice.invoice_date_due, self.today + timedelta(days=30))

    def test_hold_refused_on_draft_cancelled_other_company_or_other_customer_invoice(self):
        draft = self._create_overdue_invoices(30, post=False)
        cancelled = self._create_overdue_invoices(30, post=False)
        cancelled.button_cancel()
        other_company = self.setup_other_company()['company']
        foreign = self._create_overdue_invoices(30, company=other_company)
        other_customer = self._create_overdue_invoices(30, partner=self.partner_b)
        complaint = self._create_complaint()
        complaint.action_register()
        Hold = self.env['aftersales.complaint.hold'].with_user(self.agent)
        for invoice in (draft, cancelled, other_customer):
            with self.subTest(invoice=invoice.display_name), self.assertRaises(UserError):
                Hold.create({'complaint_id': complaint.id, 'move_id': invoice.id})
        with self.assertRaises(UserError):
            Hold.sudo().create({'complaint_id': complaint.id, 'move_id': foreign.id})
        self.assertFalse(complaint.hold_ids)

    def test_closed_complaint_cannot_hold(self):
        complaint = self._create_complaint(invoice_id=self.invoice.id)
        complaint.action_cancel()
        with self.assertRaises(UserError):
            complaint.with_user(self.agent).action_hold_invoice()

    def test_complaint_that_held_an_invoice_cannot_be_deleted(self):
        complaint = self._create_complaint(invoice_id=self.invoice.id)
        complaint.with_user(self.agent).action_hold_invoice()
        complaint.action_cancel()
        complaint.action_reset_draft()
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            self._hold_of(complaint).unlink()
        self._hold_of(complaint).with_user(self.manager).active = False
        self.assertTrue(self._hold_of(complaint).exists())

    def test_held_invoice_cannot_be_followed_up_by_hand(self):
        self._hold()
        with self.assertRaises(UserError):
            self.invoice.with_user(self.accountant).no_followup = False
        self.assertTrue(self.invoice.no_followup)

    def test_uninstall_hook_restores_the_follow_up(self):
        kept = self._create_overdue_invoices(30)
        kept.no_followup = True
        self._hold()
        self._hold(invoice=kept)
        uninstall_hook(self.env)
        self.assertFalse(self.invoice.no_followup)
        self.assertTrue(kept.no_followup)
