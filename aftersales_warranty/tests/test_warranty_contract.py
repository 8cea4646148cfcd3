from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyContract(AftersalesWarrantyCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registrations = cls.env['aftersales.warranty'].create([{
            'partner_id': cls.customer.id, 'product_id': cls.product_serial.id, 'lot_id': lot.id,
        } for lot in cls.serials[:2]])
        # Matching no case by itself: only a contract gives it.
        cls.sla_gold = cls.env['aftersales.sla'].create({
            'name': "Gold", 'company_id': cls.company.id, 'response_hours': 2, 'resolution_hours': 8,
            'partner_ids': [(6, 0, cls.env['res.partner'].create({'name': "Nobody"}).ids)],
        })

    def _contract(self, **values):
        return self.env['aftersales.warranty.contract'].create({
            'partner_id': self.customer.id,
            'registration_ids': [(6, 0, self.registrations.ids)],
            'date_start': date(2026, 1, 1), 'date_end': date(2026, 12, 31),
            'fee': 100.0, 'period': 'monthly',
            **values,
        })

    def test_confirm_creates_analytic_account(self):
        contract = self._contract()
        self.assertNotEqual(contract.name, '/')
        contract.action_confirm()
        self.assertEqual(contract.state, 'running')
        self.assertTrue(contract.analytic_account_id)
        self.assertEqual(contract.analytic_account_id.partner_id, self.customer)

    def test_only_customer_units(self):
        other = self._register(lot=self.serials[2], partner=self.partner_b)
        with self.assertRaisesRegex(ValidationError, "covers only units of"):
            self._contract(registration_ids=[(6, 0, other.ids)])

    def test_invoice_two_periods_once(self):
        contract = self._contract()
        contract.action_confirm()
        invoices = contract._invoice_due_periods(today=date(2026, 2, 10))
        self.assertEqual(len(invoices), 2)
        self.assertEqual(set(invoices.mapped('state')), {'posted'})
        self.assertEqual(invoices.mapped('amount_untaxed'), [100.0, 100.0])
        self.assertEqual(
            invoices.invoice_line_ids.mapped('analytic_distribution'),
            [{str(contract.analytic_account_id.id): 100}] * 2,
        )
        self.assertEqual(contract.period_ids.mapped('date_start'), [date(2026, 1, 1), date(2026, 2, 1)])
        self.assertEqual(contract.invoice_count, 2)
        # A second run the same day finds nothing left to invoice.
        self.assertFalse(contract._invoice_due_periods(today=date(2026, 2, 10)))
        self.assertEqual(len(contract.period_ids), 2)

    def test_rerun_after_interruption(self):
        contract = self._contract()
        contract.action_confirm()
        # A run that dies after writing its period row: all of it is rolled back.
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            contract._invoice_due_periods(today=date(2026, 1, 5))
            raise RuntimeError("crash")
        self.env.invalidate_all()
        self.assertFalse(contract.period_ids)
        invoices = contract._invoice_due_periods(today=date(2026, 1, 5))
        self.assertEqual(len(invoices), 1)
        self.assertFalse(contract._invoice_due_periods(today=date(2026, 1, 5)))

    def test_period_unique(self):
        contract = self._contract()
        contract.action_confirm()
        contract._invoice_due_periods(today=date(2026, 1, 5))
        with self.assertRaises(IntegrityError), mute_logger('odoo.sql_db'), self.env.cr.savepoint():
            self.env['aftersales.warranty.contract.period'].create({
                'contract_id': contract.id, 'date_start': date(2026, 1, 1), 'date_end': date(2026, 1, 31),
            })

    def test_draft_and_cancelled_not_invoiced(self):
        draft = self._contract()
        cancelled = self._contract(registration_ids=False)
        cancelled.action_cancel()
        self.assertFalse((draft | cancelled)._invoice_due_periods(today=date(2026, 3, 1)))

    def test_case_gets_contract_sla(self):
        case_values = {'subject': "Printer jams", 'partner_id': self.customer.id, 'team_id': self.team.id}
        before = self.env['aftersales.case'].create(case_values)
        self.assertNotEqual(before.sla_id, self.sla_gold)
        self._contract(sla_id=self.sla_gold.id).action_confirm()
        case = self.env['aftersales.case'].create(case_values)
        self.assertEqual(case.sla_id, self.sla_gold)
        other = self.env['aftersales.case'].create({**case_values, 'partner_id': self.partner_b.id})
        self.assertNotEqual(other.sla_id, self.sla_gold)

    def test_access(self):
        contract = self._contract()
        as_user = contract.with_user(self.warranty_user)
        self.assertEqual(as_user.fee, 100.0)
        as_user.write({'notice_days': 10})
        with self.assertRaises(AccessError):
            as_user.unlink()
        with self.assertRaises(AccessError):
            self.env['aftersales.warranty.contract'].with_user(self.warranty_user).create({
                'partner_id': self.customer.id, 'date_end': date(2026, 12, 31),
            })
        with self.assertRaises(AccessError):
            contract.with_user(self.agent).read(['fee'])

    def _count_queries(self, contracts):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        contracts._invoice_due_periods(today=date(2026, 1, 5))
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_invoicing_queries_per_contract(self):
        contracts = self.env['aftersales.warranty.contract'].concat(
            *[self._contract(registration_ids=False) for _i in range(6)]
        )
        contracts.action_confirm()
        one = self._count_queries(contracts[0])
        five = self._count_queries(contracts[1:])
        # Each further contract costs at most a constant: its period row,
        # its invoice and the invoice's posting, never a scan of the others.
        self.assertLessEqual((five - one) / 4, QUERIES_PER_CONTRACT, f"1: {one}, 5: {five}")
        self.assertEqual(len(contracts.period_ids), 6)


# Measured: each further contract adds 19.5 queries to one run (159 for one
# contract, 237 for five); the bound leaves room for a tax or a reconciliation.
QUERIES_PER_CONTRACT = 25
