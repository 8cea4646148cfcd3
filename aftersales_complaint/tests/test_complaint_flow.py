from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesComplaintCommon


@tagged('post_install', '-at_install')
class TestComplaintFlow(AftersalesComplaintCommon):

    def test_reference_from_sequence(self):
        complaint = self._create_complaint()
        self.assertRegex(complaint.name, r"^CMP/\d{4}/\d{4}$")
        self.assertEqual(complaint.state, 'draft')
        self.assertEqual(complaint.commercial_partner_id, self.customer)

    def test_register_needs_customer(self):
        complaint = self._create_complaint(partner_id=False)
        message = f"Complaint {complaint.name} cannot be registered without a customer"
        with self.assertRaisesText(UserError, message):
            complaint.action_register()
        self.assertEqual(complaint.state, 'draft')

    def test_register_needs_description(self):
        complaint = self._create_complaint(description="<p><br></p>")
        with self.assertRaisesText(UserError, "without a description"):
            complaint.action_register()

    def test_register_needs_employee_in_charge(self):
        complaint = self._create_complaint(user_id=False)
        with self.assertRaisesText(UserError, "without an employee in charge"):
            complaint.action_register()

    def test_register_accepted(self):
        complaint = self._create_complaint().with_context(tracking_disable=False, mail_notrack=False)
        # Drop what the set-up queued with tracking disabled.
        self.env.cr.precommit.clear()
        complaint.action_register()
        self.assertEqual(complaint.state, 'registered')
        self.env.cr.precommit.run()  # tracking is written just before commit
        tracked = complaint.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == 'state')
        self.assertTrue(tracked)

    def test_employee_in_charge_required_once_registered(self):
        complaint = self._to_state(self._create_complaint(), 'registered')
        with self.assertRaisesText(ValidationError, "needs an employee in charge"):
            complaint.user_id = False

    def test_plan_needs_an_activity(self):
        complaint = self._to_state(self._create_complaint(), 'registered')
        with self.assertRaisesText(UserError, f"Complaint {complaint.name} has no action plan"):
            complaint.action_plan()

    def test_plan_launched_from_core_launcher(self):
        complaint = self._to_state(self._create_complaint(), 'registered')
        action = complaint.action_open_plan()
        self.assertEqual(action['res_model'], 'mail.activity.schedule')
        with Form(self.env['mail.activity.schedule'].with_context(**action['context'])) as launcher:
            launcher.plan_id = self.plan
        launcher.record.action_schedule_plan()
        self.assertEqual(len(complaint.activity_ids), 3)
        self.assertEqual(complaint.activity_ids.user_id, self.env.user)
        complaint.action_plan()
        self.assertEqual(complaint.state, 'planned')

    def test_plan_refused_from_draft(self):
        complaint = self._create_complaint()
        complaint.activity_schedule('mail.mail_activity_data_todo', user_id=self.agent.id)
        with self.assertRaisesText(UserError, f"Complaint {complaint.name} cannot take this step"):
            complaint.action_plan()

    def test_fulfil_needs_review_and_end_date(self):
        complaint = self._to_state(self._create_complaint(), 'planned')
        with self.assertRaisesText(UserError, "needs its review results and an end date"):
            complaint.action_fulfil()
        complaint.review_result = "<p>Second visit not charged.</p>"
        with self.assertRaisesText(UserError, "needs its review results and an end date"):
            complaint.action_fulfil()
        complaint.date_end = '2026-02-01'
        complaint.action_fulfil()
        self.assertEqual(complaint.state, 'fulfilled')

    def test_post_only_from_fulfilled(self):
        complaint = self._to_state(self._create_complaint(), 'planned')
        with self.assertRaisesText(UserError, "cannot take this step while it is Planned"):
            complaint.action_post()
        self._to_state(self._create_complaint(), 'posted')

    def test_posted_complaint_is_locked(self):
        complaint = self._to_state(self._create_complaint(), 'posted')
        self.assertEqual(complaint.state, 'posted')
        with self.assertRaisesText(UserError, f"Complaint {complaint.name} is posted"):
            complaint.title = "Another name"
        with self.assertRaisesText(UserError, "is posted"):
            complaint.state = 'draft'
        complaint.message_post(body="The customer thanked us.")
        complaint.activity_schedule('mail.mail_activity_data_todo', user_id=self.agent.id)
        complaint.message_subscribe(partner_ids=self.contact.ids)
        self.assertIn(self.contact, complaint.message_partner_ids)

    def test_posted_complaint_archived_by_manager_only(self):
        complaint = self._to_state(self._create_complaint(), 'posted')
        with self.assertRaisesText(UserError, "Only complaint managers can archive"):
            complaint.with_user(self.agent).active = False
        complaint.with_user(self.manager).active = False
        self.assertFalse(complaint.active)

    def test_reject_needs_reason(self):
        complaint = self._to_state(self._create_complaint(), 'registered')
        with self.assertRaisesText(UserError, f"Complaint {complaint.name} needs a rejection reason"):
            complaint.action_reject()
        complaint.rejection_reason = "The delay was announced and accepted at order."
        complaint.action_reject()
        self.assertEqual(complaint.state, 'rejected')
        self.assertIn("announced and accepted", complaint.message_ids[0].body)

    def test_reject_refused_once_fulfilled(self):
        complaint = self._to_state(self._create_complaint(), 'fulfilled')
        complaint.rejection_reason = "Too late"
        with self.assertRaisesText(UserError, "cannot take this step while it is Fulfilled"):
            complaint.action_reject()

    def test_cancel_and_reset(self):
        complaint = self._to_state(self._create_complaint(), 'planned')
        with self.assertRaisesText(UserError, "cannot take this step"):
            complaint.action_reset_draft()
        complaint.action_cancel()
        self.assertEqual(complaint.state, 'cancelled')
        complaint.action_reset_draft()
        self.assertEqual(complaint.state, 'draft')

    def test_cancel_refused_once_fulfilled(self):
        complaint = self._to_state(self._create_complaint(), 'fulfilled')
        with self.assertRaisesText(UserError, "cannot take this step"):
            complaint.action_cancel()

    def test_registered_complaint_archived_not_deleted(self):
        draft = self._create_complaint()
        registered = self._to_state(self._create_complaint(), 'registered')
        with self.assertRaisesText(UserError, "archive them instead"):
            registered.unlink()
        registered.action_archive()
        self.assertFalse(registered.active)
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_overdue_by_end_date(self):
        late = self._to_state(self._create_complaint(date_end='2020-01-01'), 'registered')
        on_time = self._to_state(self._create_complaint(date_end='2999-01-01'), 'registered')
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue)
        found = self.env['aftersales.complaint'].search([('is_overdue', '=', True)])
        self.assertIn(late, found)
        self.assertNotIn(on_time, found)
        self.assertIn(on_time, self.env['aftersales.complaint'].search([('is_overdue', '=', False)]))
