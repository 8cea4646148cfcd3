"""Journey of a complaint manager in the web client, in headless Chromium: a
complaint about an overdue invoice holds it from payment reminders until the
complaint is fulfilled."""

from odoo.addons.aftersales_complaint.tests.reminder_common import AftersalesReminderCommon
from odoo.tests import HttpCase, new_test_user, tagged


@tagged('post_install', '-at_install')
class TestJourneyComplaint(AftersalesReminderCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._create_overdue_invoices(30)
        cls.complaint_manager = new_test_user(
            cls.env, login='journey_complaint_manager', name="Cora Complaints", company_id=cls.company.id,
            groups='aftersales_complaint.aftersales_complaint_group_manager,account.group_account_invoice',
        )

    def _reminder_run(self):
        self.patch(self.env.cr, 'commit', lambda: None)
        self.env['aftersales.reminder']._cron_send_reminders()
        return self.env['aftersales.reminder'].search([('move_id', '=', self.invoice.id)])

    def test_complaint_holds_the_invoice_until_fulfilled(self):
        self.start_tour(
            f'/odoo/action-account.action_move_out_invoice_type/{self.invoice.id}',
            'aftersales_journey_complaint_hold', login=self.complaint_manager.login,
        )
        complaint = self.env['aftersales.complaint'].search([('invoice_id', '=', self.invoice.id)])
        self.assertRecordValues(complaint, [{'state': 'registered', 'partner_id': self.customer.id}])
        self.assertTrue(self.invoice.is_held_by_complaint)
        self.assertFalse(self._reminder_run(), "The reminder run skips the held invoice")

        self.start_tour(
            f'/odoo/action-aftersales_complaint.aftersales_complaint_action/{complaint.id}',
            'aftersales_journey_complaint_fulfil', login=self.complaint_manager.login,
        )
        self.assertEqual(complaint.state, 'fulfilled')
        self.assertTrue(complaint.activity_ids, "The action plan's steps are activities")
        self.assertFalse(self.invoice.is_held_by_complaint)
        reminders = self._reminder_run()
        self.assertEqual(len(reminders), 1, "Released, the overdue invoice is reminded")
        self.assertTrue(reminders.mail_id)
