from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyContractRenewal(AftersalesWarrantyCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Contract = cls.env['aftersales.warranty.contract']
        cls.todo = cls.env.ref('mail.mail_activity_data_todo')

    def _contract(self, **values):
        contract = self.Contract.create({
            'partner_id': self.customer.id,
            'date_start': date(2026, 1, 1), 'date_end': date(2026, 12, 31),
            'fee': 100.0, 'period': 'monthly', 'user_id': self.warranty_manager.id,
            **values,
        })
        contract.action_confirm()
        return contract

    def _messages(self, contract, text):
        return contract.message_ids.filtered(lambda m: text in (m.body or ''))

    def _notices(self, contract):
        return contract.activity_ids.filtered(lambda a: a.activity_type_id == self.todo)

    def test_automatic_renewal_adds_one_term(self):
        contract = self._contract(renewal_rule='automatic')
        contract._process_renewals(today=date(2026, 12, 31))
        self.assertEqual(contract.date_end, date(2026, 12, 31), "renewed only once the end is past")
        contract._process_renewals(today=date(2027, 1, 1))
        self.assertEqual(contract.state, 'running')
        self.assertEqual((contract.term_start, contract.date_end), (date(2027, 1, 1), date(2027, 12, 31)))
        self.assertEqual(len(self._messages(contract, "renewed")), 1)
        # The same day again: nothing left to renew.
        contract._process_renewals(today=date(2027, 1, 1))
        self.assertEqual(contract.date_end, date(2027, 12, 31))
        self.assertEqual(len(self._messages(contract, "renewed")), 1)

    def test_automatic_renewal_catches_up_missed_terms(self):
        contract = self._contract(renewal_rule='automatic', date_end=date(2026, 3, 31))
        contract._process_renewals(today=date(2026, 10, 15))
        # Terms of three whole months, to the first one covering the day.
        self.assertEqual((contract.term_start, contract.date_end), (date(2026, 10, 1), date(2026, 12, 31)))
        self.assertEqual(len(self._messages(contract, "renewed")), 3)

    def test_term_of_days_keeps_its_days(self):
        contract = self._contract(renewal_rule='automatic', date_end=date(2026, 1, 15))
        contract._process_renewals(today=date(2026, 1, 16))
        self.assertEqual((contract.term_start, contract.date_end), (date(2026, 1, 16), date(2026, 1, 30)))

    def test_invoicing_continues_into_the_renewed_term(self):
        contract = self._contract(renewal_rule='automatic', date_end=date(2026, 3, 31))
        self.assertEqual(len(contract._invoice_due_periods(today=date(2026, 3, 15))), 3)
        self.assertFalse(contract._invoice_due_periods(today=date(2026, 4, 1)), "the term has ended")
        contract._process_renewals(today=date(2026, 4, 1))
        invoices = contract._invoice_due_periods(today=date(2026, 4, 1))
        self.assertEqual(len(invoices), 1)
        self.assertIn("2026-04-01", invoices.invoice_line_ids.name)
        starts = contract.period_ids.mapped('date_start')
        self.assertEqual(starts, [date(2026, month, 1) for month in (1, 2, 3, 4)])
        self.assertFalse(contract._invoice_due_periods(today=date(2026, 4, 20)))

    def test_notice_schedules_one_activity(self):
        contract = self._contract(renewal_rule='notice', notice_days=30)
        self.assertEqual(contract.notice_date, date(2026, 12, 1))
        contract._process_renewals(today=date(2026, 11, 30))
        self.assertFalse(self._notices(contract))
        contract._process_renewals(today=date(2026, 12, 1))
        notice = self._notices(contract)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.user_id, self.warranty_manager)
        self.assertEqual(notice.date_deadline, date(2026, 12, 31))
        self.assertEqual(contract.notice_sent_date, date(2026, 12, 1))
        # Later runs before the end neither notify again nor renew.
        contract._process_renewals(today=date(2026, 12, 20))
        self.assertEqual(len(self._notices(contract)), 1)
        self.assertEqual((contract.state, contract.date_end), ('running', date(2026, 12, 31)))

    def test_notice_without_responsible_goes_to_creator(self):
        contract = self._contract(renewal_rule='notice', user_id=False)
        contract._process_renewals(today=date(2026, 12, 10))
        self.assertEqual(self._notices(contract).user_id, contract.create_uid)

    def test_notice_contract_expires_unless_renewed(self):
        contract = self._contract(renewal_rule='notice')
        contract._process_renewals(today=date(2027, 1, 1))
        self.assertEqual((contract.state, contract.date_end), ('expired', date(2026, 12, 31)))
        self.assertFalse(self._notices(contract), "past the end, no notice is sent any more")
        self.assertEqual(len(self._messages(contract, "expired")), 1)

    def test_expire_rule_stops_invoicing(self):
        contract = self._contract(renewal_rule='expire', date_end=date(2026, 3, 31))
        contract._invoice_due_periods(today=date(2026, 2, 10))
        contract._process_renewals(today=date(2026, 4, 5))
        self.assertEqual(contract.state, 'expired')
        self.assertEqual(len(self._messages(contract, "expired")), 1)
        # March's fee, missed by the invoicing run, is invoiced on expiry; nothing after.
        self.assertEqual(contract.period_ids.mapped('date_start')[-1], date(2026, 3, 1))
        self.assertFalse(contract._invoice_due_periods(today=date(2026, 6, 1)))
        contract._process_renewals(today=date(2026, 4, 6))
        self.assertEqual(len(self._messages(contract, "expired")), 1)

    def test_renewal_domain_finds_the_contracts_due(self):
        due_end = self._contract(renewal_rule='expire', date_end=date(2026, 3, 31))
        due_notice = self._contract(renewal_rule='notice', notice_days=10, date_end=date(2026, 4, 10))
        not_due = self._contract(renewal_rule='notice', notice_days=5, date_end=date(2026, 4, 10))
        draft = self.Contract.create({
            'partner_id': self.customer.id, 'date_start': date(2026, 1, 1), 'date_end': date(2026, 1, 31),
        })
        found = self.Contract.search(self.Contract._renewal_domain(date(2026, 4, 1)))
        self.assertEqual(found & (due_end | due_notice | not_due | draft), due_end | due_notice)

    def test_renew_expired_contract_by_hand(self):
        contract = self._contract(renewal_rule='notice')
        contract._process_renewals(today=date(2026, 12, 5))
        contract._process_renewals(today=date(2027, 1, 1))
        self.assertEqual(contract.state, 'expired')
        contract.with_user(self.warranty_manager).action_renew()
        self.assertEqual(contract.state, 'running')
        self.assertEqual(contract.date_end, date(2027, 12, 31))
        self.assertFalse(contract.notice_sent_date)
        self.assertEqual(len(self._messages(contract, "renewed")), 1)
        # The new term gets its own notice.
        contract._process_renewals(today=date(2027, 12, 1))
        self.assertEqual(contract.notice_sent_date, date(2027, 12, 1))

    def test_renew_refused_on_draft_and_cancelled(self):
        draft = self.Contract.create({
            'partner_id': self.customer.id, 'date_start': date(2026, 1, 1), 'date_end': date(2026, 12, 31),
        })
        with self.assertRaisesRegex(UserError, "Only running or expired contracts can be renewed"):
            draft.action_renew()
        cancelled = self._contract()
        cancelled.action_cancel()
        with self.assertRaisesRegex(UserError, cancelled.name):
            cancelled.action_renew()
        self.assertEqual((cancelled.state, cancelled.date_end), ('cancelled', date(2026, 12, 31)))

    def test_renew_is_for_managers_only(self):
        contract = self._contract()
        with self.assertRaises(AccessError):
            contract.with_user(self.warranty_user).action_renew()
        self.assertEqual(contract.date_end, date(2026, 12, 31))
        arch_user = self.Contract.with_user(self.warranty_user).get_views([(False, 'form')])
        arch_manager = self.Contract.with_user(self.warranty_manager).get_views([(False, 'form')])
        self.assertNotIn('action_renew', arch_user['views']['form']['arch'])
        self.assertIn('action_renew', arch_manager['views']['form']['arch'])

    def _count_queries(self, contracts, today):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        contracts._process_renewals(today=today)
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_renewal_queries_per_contract(self):
        for rule, today in (('automatic', date(2027, 1, 1)), ('notice', date(2026, 12, 10))):
            contracts = self.Contract.concat(*[self._contract(renewal_rule=rule) for _i in range(6)])
            one = self._count_queries(contracts[0], today)
            five = self._count_queries(contracts[1:], today)
            # Each further contract costs its own write, message or activity,
            # never a scan of the others.
            self.assertLessEqual((five - one) / 4, QUERIES_PER_CONTRACT, f"{rule} 1: {one}, 5: {five}")


# Measured: each further contract adds 3.75 queries to a renewal run (21 for
# one, 36 for five), and 11 to 13 to a notice run (61 to 69 for one, 113 for
# five): the To-Do is mailed to its assignee. The bound leaves room for a
# follower more.
QUERIES_PER_CONTRACT = 20
