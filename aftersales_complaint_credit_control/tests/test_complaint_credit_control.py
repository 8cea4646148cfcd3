from odoo import Command, fields
from odoo.addons.aftersales_complaint.tests.reminder_common import AftersalesReminderCommon
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged, warmup

from .. import post_init_hook, uninstall_hook


@tagged('post_install', '-at_install')
class TestComplaintCreditControl(AftersalesReminderCommon):
    """OCA Credit Control's runs leave a held invoice alone, and remind it
    again once the complaint lets it go."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'account_credit_control.group_account_credit_control_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env['credit.control.policy']
        # Only the policies made here count: the test company's own.
        Policy.search([('do_nothing', '=', True)]).active = False
        cls.receivable = cls.customer.with_company(cls.company).property_account_receivable_id
        cls.policy = cls._create_policy("Three reminders")
        cls.strict_policy = cls._create_policy("Strict")
        cls.no_follow = Policy.create({
            'name': "No follow-up", 'do_nothing': True, 'company_id': cls.company.id,
            'account_ids': [Command.set(cls.receivable.ids)],
        })
        cls.company.credit_policy_id = cls.policy
        cls.invoice = cls._create_overdue_invoices(30)
        cls.credit_manager = new_test_user(
            cls.env, login='cc_manager', name="Carol Credit", company_id=cls.company.id,
            groups='account.group_account_invoice,'
                   'account_credit_control.group_account_credit_control_manager',
        )

    @classmethod
    def _create_policy(cls, name):
        template = cls.env.ref('account_credit_control.email_template_credit_control_base')
        return cls.env['credit.control.policy'].create({
            'name': name,
            'company_id': cls.company.id,
            'account_ids': [Command.set(cls.receivable.ids)],
            'level_ids': [Command.create({
                'name': "First reminder", 'level': 1, 'computation_mode': 'net_days',
                'delay_days': 10, 'channel': 'email', 'email_template_id': template.id,
                'custom_text': "Please pay.", 'custom_mail_text': "<p>Please pay.</p>",
            })],
        })

    def _hold(self, invoice=None):
        complaint = self._create_complaint(invoice_id=(invoice or self.invoice).id)
        complaint.action_register()
        complaint.with_user(self.agent).action_hold_invoice()
        return complaint

    def _run(self, policies=None):
        """A credit control run of today; the lines it made for the invoice."""
        run = self.env['credit.control.run'].with_user(self.credit_manager).create({
            'date': fields.Date.today(),
            'company_id': self.company.id,
            'policy_ids': [Command.set((policies or self.policy).ids)],
        })
        run.generate_credit_lines()
        return run.line_ids.filtered(lambda line: line.invoice_id == self.invoice)

    def test_held_invoice_gets_no_credit_control_line_until_released(self):
        self.assertTrue(self._run(), "An overdue invoice not held is reminded")
        self.invoice.credit_control_line_ids.unlink()
        complaint = self._hold()
        self.assertEqual(self.invoice.credit_policy_id, self.no_follow)
        self.assertFalse(self._run(), "No reminder while the complaint is open")
        complaint.with_user(self.agent).action_cancel()
        self.assertFalse(self.invoice.credit_policy_id, "The invoice follows its partner's policy again")
        lines = self._run()
        self.assertEqual(len(lines), 1, "The released invoice is reminded again")
        self.assertEqual(lines.policy_id, self.policy)

    def test_invoice_gets_its_own_policy_back(self):
        self.invoice.credit_policy_id = self.strict_policy
        complaint = self._hold()
        self.assertEqual(complaint.hold_ids.previous_credit_policy_id, self.strict_policy)
        self.assertFalse(self._run(self.policy | self.strict_policy))
        complaint.rejection_reason = "Delivered on the agreed date."
        complaint.with_user(self.agent).action_reject()
        self.assertEqual(self.invoice.credit_policy_id, self.strict_policy)
        self.assertEqual(self._run(self.policy | self.strict_policy).policy_id, self.strict_policy)

    def test_two_complaints_release_the_policy_only_when_both_are_closed(self):
        self.invoice.credit_policy_id = self.strict_policy
        first, second = self._hold(), self._hold()
        first.with_user(self.agent).action_cancel()
        self.assertEqual(self.invoice.credit_policy_id, self.no_follow)
        self.assertFalse(self._run(self.strict_policy))
        second.with_user(self.agent).action_cancel()
        self.assertEqual(self.invoice.credit_policy_id, self.strict_policy)

    def test_a_drafted_reminder_is_set_aside_by_the_hold(self):
        drafted = self._run()
        self.assertEqual(drafted.state, 'draft')
        complaint = self._hold()
        self.assertEqual(drafted.state, 'ignored', "A reminder drafted before the hold is not sent")
        complaint.with_user(self.agent).action_cancel()
        self.assertEqual(drafted.state, 'ignored')

    def test_payment_releases_the_policy_too(self):
        self._hold()
        self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=self.invoice.ids,
        ).create({})._create_payments()
        self.assertIn(self.invoice.payment_state, ('paid', 'in_payment'))
        self.assertFalse(self.invoice.credit_policy_id)

    def test_company_policy_before_a_shared_one(self):
        shared = self.no_follow.copy({'name': "Shared no follow-up", 'company_id': False})
        self._hold()
        self.assertEqual(self.invoice.credit_policy_id, self.no_follow)
        self.no_follow.active = False
        other = self._create_overdue_invoices(30)
        self._hold(invoice=other)
        self.assertEqual(other.credit_policy_id, shared)

    def test_no_policy_that_sends_nothing_holds_nothing(self):
        self.no_follow.active = False
        complaint = self._create_complaint(invoice_id=self.invoice.id)
        complaint.action_register()
        with self.assertRaisesRegex(UserError, "no policy that sends nothing"), self.env.cr.savepoint():
            complaint.with_user(self.agent).action_hold_invoice()
        self.env.invalidate_all()
        self.assertFalse(self.env['aftersales.complaint.hold'].with_context(active_test=False).search([
            ('complaint_id', '=', complaint.id),
        ]))
        self.assertFalse(self.invoice.no_followup)
        self.assertFalse(self.invoice.credit_policy_id)

    def test_accountant_releases_and_agent_holds_without_credit_control_rights(self):
        self.assertFalse(self.agent.has_group('account_credit_control.group_account_credit_control_user'))
        complaint = self._hold()
        self.assertEqual(self.invoice.credit_policy_id, self.no_follow)
        complaint.hold_ids.with_user(self.accountant).action_release()
        self.assertFalse(self.invoice.credit_policy_id)

    def test_uninstall_hook_restores_the_policy(self):
        self.invoice.credit_policy_id = self.strict_policy
        self._hold()
        uninstall_hook(self.env)
        self.assertEqual(self.invoice.credit_policy_id, self.strict_policy)

    def test_install_moves_invoices_held_before_to_the_no_follow_policy(self):
        self.invoice.credit_policy_id = self.strict_policy
        hold = self._hold().hold_ids
        # As before the bridge: the invoice kept its policy, the hold knew none.
        self.invoice._aftersales_set_credit_policy(self.strict_policy)
        hold.sudo().previous_credit_policy_id = False
        post_init_hook(self.env)
        self.assertEqual(self.invoice.credit_policy_id, self.no_follow)
        self.assertEqual(hold.previous_credit_policy_id, self.strict_policy)
        hold.with_user(self.accountant).action_release()
        self.assertEqual(self.invoice.credit_policy_id, self.strict_policy)

    @warmup
    def test_holding_and_releasing_take_a_fixed_number_of_queries(self):
        for count in (5, 20):
            invoices = self._create_overdue_invoices(30, count=count)
            complaint = self._create_complaint()
            complaint.action_register()
            vals_list = [{'complaint_id': complaint.id, 'move_id': move.id} for move in invoices]
            self.env.invalidate_all()
            with self.assertQueryCount(19):
                holds = self.env['aftersales.complaint.hold'].create(vals_list)
            self.env.invalidate_all()
            with self.assertQueryCount(13):
                holds.action_release()
            self.assertFalse(invoices.credit_policy_id)
