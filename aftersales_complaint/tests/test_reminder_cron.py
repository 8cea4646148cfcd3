from odoo.tests import tagged

from .reminder_common import AftersalesReminderCommon


@tagged('post_install', '-at_install')
class TestReminderCron(AftersalesReminderCommon):

    def test_interrupted_run_then_rerun_reminds_each_invoice_once(self):
        invoices = self._create_overdue_invoices(10, count=5)
        # A run killed right after committing its first batch of two.
        self.assertEqual(self._send_batch(batch_size=2), (2, 3))
        committed = []
        self.patch(self.env.cr, 'commit', lambda: committed.append(len(self._reminders(invoices))))
        self.env['aftersales.reminder']._cron_send_reminders(batch_size=2)
        self.assertEqual(committed, [4, 5], "Each batch commits its reminders and mails together")
        self.env['aftersales.reminder']._cron_send_reminders(batch_size=2)
        reminders = self._reminders(invoices)
        self.assertEqual(reminders.move_id, invoices)
        self.assertEqual(len(reminders), 5, "Restarted runs remind nobody twice")
        self.assertEqual(len(reminders.mail_id), 5)

    def test_cron_skips_held_invoices(self):
        free, held = self._create_overdue_invoices(30, count=2)
        held.no_followup = True
        self.patch(self.env.cr, 'commit', lambda: None)
        self.env['aftersales.reminder']._cron_send_reminders()
        self.assertEqual(self._reminders(free | held).move_id, free)
        self.assertEqual(free.aftersales_reminder_level_id, self.firm)

    def test_each_company_reminds_with_its_own_levels(self):
        other = self.setup_other_company()['company']
        other_friendly = self._create_levels(other, days=(10,))
        mild_here = self._create_overdue_invoices(8)
        mild_there = self._create_overdue_invoices(8, company=other)
        late_there = self._create_overdue_invoices(15, company=other)
        self._send_batch()
        self.assertEqual(self._reminders(mild_here).level_id, self.friendly)
        self.assertFalse(self._reminders(mild_there), "Company 2 waits 10 days, not 7")
        self.assertEqual(self._reminders(late_there).level_id, other_friendly)
        self.assertEqual(self._reminders(late_there).company_id, other)

    def test_company_without_levels_sends_nothing(self):
        other = self.setup_other_company()['company']
        invoice = self._create_overdue_invoices(60, company=other)
        self.assertEqual(self._send_batch(), (0, 0))
        self.assertFalse(self._reminders(invoice))

    def test_cron_queries_do_not_grow_with_the_number_of_invoices(self):
        # Warm the template and registry caches up first.
        self._create_overdue_invoices(10, count=3)
        self.env.invalidate_all()
        self._send_batch()
        for count in (5, 20):
            self._create_overdue_invoices(10, count=count)
            self.env.invalidate_all()
            with self.assertQueryCount(33):
                self.assertEqual(self._send_batch(), (count, 0))
