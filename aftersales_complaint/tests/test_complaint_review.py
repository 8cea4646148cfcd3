from datetime import date

from odoo.tests import freeze_time, tagged

from .common import AftersalesComplaintCommon


@tagged('post_install', '-at_install')
class TestComplaintReview(AftersalesComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_reason = cls.env['aftersales.complaint.reason'].create({'name': "Damaged goods"})
        cls.cron = cls.env.ref('aftersales_complaint.ir_cron_aftersales_complaint_open_too_long')
        cls.todo = cls.env.ref('mail.mail_activity_data_todo')

    def _run_cron(self):
        """Run the scheduled action as the scheduler does; its commits become savepoints."""
        with self.enter_registry_test_mode():
            result = self.cron.method_direct_trigger()
        self.assertIs(result, True, "the scheduled action failed")

    def _too_long_activities(self, complaints):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'aftersales.complaint'), ('res_id', 'in', complaints.ids),
            ('activity_type_id', '=', self.todo.id), ('automated', '=', True),
        ])

    # Closing date and time to close

    def test_date_closed_is_the_day_fulfilled_and_kept_when_posted(self):
        complaint = self._create_complaint(date_issue='2026-01-05')
        with freeze_time('2026-01-15 12:00:00'):
            self._to_state(complaint, 'fulfilled')
        self.assertEqual(complaint.date_closed, date(2026, 1, 15))
        self.assertEqual(complaint.days_to_close, 10)
        with freeze_time('2026-01-20 12:00:00'):
            complaint.action_post()
        self.assertEqual(complaint.date_closed, date(2026, 1, 15))
        self.assertEqual(complaint.days_to_close, 10)

    def test_rejecting_closes_the_complaint(self):
        complaint = self._create_complaint(date_issue='2026-01-05', rejection_reason="Not our product.")
        with freeze_time('2026-01-08 12:00:00'):
            complaint.with_user(self.agent).action_reject()
        self.assertEqual(complaint.date_closed, date(2026, 1, 8))
        self.assertEqual(complaint.days_to_close, 3)

    def test_back_to_draft_clears_the_closing_date(self):
        complaint = self._create_complaint(date_issue='2026-01-05', rejection_reason="Not our product.")
        with freeze_time('2026-01-08 12:00:00'):
            complaint.action_reject()
        # Only the suite's own code moves a closed complaint back to draft.
        complaint.sudo().write({'state': 'draft'})
        self.assertFalse(complaint.date_closed)
        self.assertEqual(complaint.days_to_close, 0)

    def test_cancelled_complaint_is_not_closed(self):
        complaint = self._create_complaint()
        complaint.action_cancel()
        self.assertFalse(complaint.date_closed)
        complaint.action_reset_draft()
        self.assertFalse(complaint.date_closed)

    # Repeat complaints

    def test_same_reason_within_a_year_is_a_repeat(self):
        first = self._create_complaint(date_issue='2025-03-01')
        second = self._create_complaint(date_issue='2026-02-01', partner_id=self.contact.id)
        self.assertFalse(first.is_repeat)
        self.assertTrue(second.is_repeat, "a contact of the same customer complained for the same reason")

    def test_common_product_is_a_repeat(self):
        self._create_complaint(date_issue='2026-01-05', product_ids=[self.product_a.id, self.product_b.id])
        repeat = self._create_complaint(
            date_issue='2026-02-01', reason_id=self.other_reason.id, product_ids=[self.product_b.id],
        )
        other_product = self._create_complaint(
            date_issue='2026-01-20', reason_id=self.other_reason.id,
            product_ids=[self.company_data['product_order_no'].id],
        )
        self.assertTrue(repeat.is_repeat)
        self.assertFalse(other_product.is_repeat)

    def test_older_other_customer_or_cancelled_complaints_are_no_repeats(self):
        self._create_complaint(date_issue='2025-01-31')
        self._create_complaint(date_issue='2026-01-10', partner_id=self.partner_b.id)
        self._create_complaint(date_issue='2026-01-20').action_cancel()
        complaint = self._create_complaint(date_issue='2026-02-01')
        self.assertFalse(complaint.is_repeat)

    def test_complaint_entered_late_makes_the_later_one_a_repeat(self):
        later = self._create_complaint(date_issue='2026-02-01')
        self.assertFalse(later.is_repeat)
        self._create_complaint(date_issue='2026-01-10')
        self.assertTrue(later.is_repeat)

    def test_repeats_of_a_batch_need_no_query_per_complaint(self):
        vals = {'title': "Late", 'partner_id': self.customer.id, 'reason_id': self.reason.id,
                'user_id': self.agent.id}
        complaints = self.env['aftersales.complaint'].create([
            {**vals, 'date_issue': f'2026-01-{day:02d}'} for day in range(1, 11)
        ])
        self.assertEqual(complaints.sorted('date_issue').mapped('is_repeat'), [False] + [True] * 9)

    # Open too long

    def test_open_too_long_follows_the_company_target(self):
        self.company.aftersales_complaint_close_days = 10
        old = self._create_complaint(date_issue='2026-03-01')
        recent = self._create_complaint(date_issue='2026-03-08')
        closed = self._create_complaint(date_issue='2026-03-01', rejection_reason="Not ours.")
        closed.action_reject()
        with freeze_time('2026-03-15 12:00:00'):
            self.assertEqual((old | recent | closed).mapped('is_too_long'), [True, False, False])
            found = self.env['aftersales.complaint'].search([
                ('id', 'in', (old | recent | closed).ids), ('is_too_long', '=', True),
            ])
            self.assertEqual(found, old)
            self.company.aftersales_complaint_close_days = 0
            self.assertFalse(self.env['aftersales.complaint'].search_count([
                ('id', 'in', old.ids), ('is_too_long', '=', True),
            ]))

    def test_cron_signals_a_complaint_open_too_long_once(self):
        self.company.aftersales_complaint_close_days = 10
        old = self._create_complaint(date_issue='2026-03-01')
        old.action_register()
        recent = self._create_complaint(date_issue='2026-03-08')
        with freeze_time('2026-03-15 12:00:00'):
            self._run_cron()
            self._run_cron()
        activity = self._too_long_activities(old | recent)
        self.assertEqual(activity.res_id, old.id)
        self.assertEqual(activity.user_id, self.agent)
        self.assertIn("10 days", activity.summary)
        self.assertEqual(old.date_too_long_signalled, date(2026, 3, 15))
        self.assertFalse(recent.date_too_long_signalled)
        with freeze_time('2026-03-20 12:00:00'):
            self._run_cron()
        self.assertEqual(len(self._too_long_activities(old)), 1, "a complaint is signalled once")
        self.assertEqual(len(self._too_long_activities(recent)), 1, "the recent one is now too long")
