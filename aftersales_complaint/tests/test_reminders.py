from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .reminder_common import AftersalesReminderCommon


@tagged('post_install', '-at_install')
class TestReminders(AftersalesReminderCommon):

    def test_level_chosen_by_days_overdue(self):
        early = self._create_overdue_invoices(3)
        friendly = self._create_overdue_invoices(8)
        firm = self._create_overdue_invoices(21)
        self._send_batch()
        self.assertFalse(self._reminders(early))
        self.assertEqual(self._reminders(friendly).level_id, self.friendly)
        self.assertEqual(self._reminders(firm).level_id, self.firm)
        self.assertEqual(firm.aftersales_reminder_level_id, self.firm)
        self.assertEqual(firm.aftersales_reminder_count, 1)

    def test_very_late_invoice_gets_the_final_notice_only(self):
        invoice = self._create_overdue_invoices(90)
        self._send_batch()
        reminders = self._reminders(invoice)
        self.assertEqual(reminders.level_id, self.final, "One mail, the highest due level, not three")

    def test_next_level_follows_once_due(self):
        invoice = self._create_overdue_invoices(10)
        self._send_batch()
        invoice.invoice_date_due = self.today.replace(year=self.today.year - 1)
        self._send_batch()
        self.assertEqual(self._reminders(invoice).level_id, self.friendly | self.final)
        self.assertEqual(invoice.aftersales_reminder_level_id, self.final)

    def test_no_second_reminder_of_a_level_when_run_again(self):
        invoice = self._create_overdue_invoices(10)
        self.assertEqual(self._send_batch(), (1, 0))
        self.assertEqual(self._send_batch(), (0, 0))
        self.assertEqual(len(self._reminders(invoice)), 1)
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError):
            self.env['aftersales.reminder'].create({
                'move_id': invoice.id, 'partner_id': invoice.partner_id.id, 'level_id': self.friendly.id,
            })

    def test_invoice_on_hold_is_skipped_until_released(self):
        invoice = self._create_overdue_invoices(10)
        invoice.no_followup = True
        self._send_batch()
        self.assertFalse(self._reminders(invoice))
        invoice.no_followup = False
        self._send_batch()
        self.assertEqual(self._reminders(invoice).level_id, self.friendly)

    def test_paid_draft_and_not_due_invoices_get_none(self):
        paid = self._create_overdue_invoices(10)
        self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=paid.ids,
        ).create({})._create_payments()
        draft = self._create_overdue_invoices(10, post=False)
        not_due = self._create_overdue_invoices(-5)
        self.assertEqual(paid.payment_state, self.env['account.move']._get_invoice_in_payment_state())
        self._send_batch()
        self.assertFalse(self._reminders(paid | draft | not_due))

    def test_partly_paid_invoice_is_reminded_of_the_rest(self):
        invoice = self._create_overdue_invoices(10)
        self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=invoice.ids,
        ).create({'amount': 100.0})._create_payments()
        self.assertEqual(invoice.payment_state, 'partial')
        self._send_batch()
        reminder = self._reminders(invoice)
        self.assertEqual(reminder.amount_residual, 150.0)

    def test_mail_goes_to_the_invoice_partner_in_its_language(self):
        self.env['res.lang']._activate_lang('nl_NL')
        dutch = self.env['res.partner'].create({
            'name': "Jan de Vries", 'email': "jan@example.nl", 'lang': 'nl_NL',
        })
        template = self.friendly.mail_template_id
        template.update_field_translations('subject', {'nl_NL': "Betalingsherinnering {{ object.name }}"})
        invoice = self._create_overdue_invoices(10, partner=dutch)
        self._send_batch()
        mail = self._reminders(invoice).mail_id
        self.assertEqual(mail.recipient_ids, dutch)
        self.assertEqual(mail.subject, f"Betalingsherinnering {invoice.name}")
        self.assertEqual(mail.state, 'outgoing', "Queued, not sent inline")
        self.assertEqual((mail.model, mail.res_id), ('account.move', invoice.id))
        self.assertIn(invoice.access_token, str(mail.body_html))
        self.assertIn(f"/my/invoices/{invoice.id}", str(mail.body_html))

    def test_level_days_unique_per_company_and_not_negative(self):
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError):
            self._create_levels(self.company, days=(7,))
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError):
            self._create_levels(self.company, days=(-1,))


@tagged('post_install', '-at_install')
class TestSendRemindersNow(AftersalesReminderCommon):

    def test_accountant_sends_now_and_is_told_what_was_skipped(self):
        due = self._create_overdue_invoices(10)
        held = self._create_overdue_invoices(10)
        held.no_followup = True
        early = self._create_overdue_invoices(2)
        invoices = (due | held | early).with_user(self.accountant)
        action = invoices.action_send_aftersales_reminders()
        self.assertEqual(self._reminders(due | held | early), self._reminders(due))
        self.assertEqual(self._reminders(due).user_id, self.accountant)
        message = action['params']['message']
        self.assertIn("sent: 1", message)
        self.assertIn("1 on hold", message)
        self.assertIn("1 with no reminder due", message)

    def test_send_now_twice_sends_once(self):
        invoice = self._create_overdue_invoices(10).with_user(self.accountant)
        invoice.action_send_aftersales_reminders()
        action = invoice.action_send_aftersales_reminders()
        self.assertEqual(len(self._reminders(invoice)), 1)
        self.assertIn("sent: 0", action['params']['message'])

    def test_plain_internal_user_cannot_send(self):
        invoice = self._create_overdue_invoices(10)
        with self.assertRaises(AccessError):
            invoice.with_user(self.internal_user).action_send_aftersales_reminders()
        self.assertFalse(self._reminders(invoice))

    def test_portal_user_cannot_send_nor_read(self):
        portal = self.env['res.users'].create({
            'name': "Paula Portal", 'login': 'rem_portal', 'partner_id': self.customer.id,
            'group_ids': [(6, 0, [self.env.ref('base.group_portal').id])],
        })
        invoice = self._create_overdue_invoices(10)
        with self.assertRaises(AccessError):
            invoice.with_user(portal).action_send_aftersales_reminders()
        self._send_batch()
        with self.assertRaises(AccessError):
            self._reminders(invoice).with_user(portal).read(['level_id'])

    def test_accountant_reads_levels_but_cannot_change_them(self):
        self.assertEqual(self.friendly.with_user(self.accountant).days, 7)
        with self.assertRaises(AccessError):
            self.friendly.with_user(self.accountant).days = 3

    def test_send_now_from_the_invoice_list(self):
        invoices = self._create_overdue_invoices(10, count=2)
        action = self.env.ref('aftersales_complaint.action_send_aftersales_reminders')
        action = action.with_user(self.accountant)
        result = action.with_context(active_model='account.move', active_ids=invoices.ids).run()
        self.assertEqual(self._reminders(invoices).move_id, invoices)
        self.assertIn("sent: 2", result['params']['message'])

    def test_reminders_smart_button_lists_the_invoice_reminders(self):
        invoice, other = self._create_overdue_invoices(10, count=2)
        self._send_batch()
        action = invoice.with_user(self.accountant).action_view_aftersales_reminders()
        listed = self.env['aftersales.reminder'].with_user(self.accountant).search(action['domain'])
        self.assertEqual(listed.move_id, invoice)
        self.assertNotIn(other, listed.move_id)
