import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from odoo import api
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import AftersalesCaseCommon


class TimeMaterialCommon(AftersalesCaseCommon, AccountTestInvoicingCommon):
    """Cases with time and material lines, in a company with a chart of accounts.

    ``self.env`` is account's "accountman", made after-sales manager too.
    """

    @classmethod
    def get_default_groups(cls):
        manager = cls.env.ref('aftersales_case.aftersales_group_manager')
        return super().get_default_groups() | manager

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_hour = cls._create_product(
            name="Service Hour", type='service', uom_id=cls.uom_hour.id,
            lst_price=100.0, standard_price=60.0,
        )
        cls.spare_part = cls._create_product(
            name="Spare Part", type='consu', lst_price=1000.0, standard_price=800.0,
        )
        cls.customer_other = cls.env['res.partner'].create({
            'name': "Other Customer", 'is_company': True,
        })
        cls.case = cls._create_case(user_id=cls.agent.id)

    @classmethod
    def _create_lines(cls, case, *specs):
        """Lines on ``case`` from ``(product, quantity)`` or ``(product, quantity, values)``."""
        return cls.env['aftersales.case.line'].create([
            {'case_id': case.id, 'product_id': spec[0].id, 'quantity': spec[1],
             **(spec[2] if len(spec) > 2 else {})}
            for spec in specs
        ])

    def _invoice(self, lines, user=None):
        lines = lines.with_user(user) if user else lines
        lines.action_create_invoice()
        return lines.sudo().invoice_id


@tagged('post_install', '-at_install')
class TestTimeMaterial(TimeMaterialCommon):

    def test_line_takes_price_cost_and_unit_from_product(self):
        line = self._create_lines(self.case, (self.service_hour, 2.5))
        self.assertRecordValues(line, [{
            'user_id': self.env.user.id,
            'name': "Service Hour",
            'line_type': 'time',
            'product_uom_id': self.uom_hour.id,
            'hours': 2.5,
            'price_unit': 100.0,
            'unit_cost': 60.0,
            'price_subtotal': 250.0,
            'cost': 150.0,
            'billable': True,
            'invoice_status': 'to_invoice',
            'partner_id': self.customer.id,
        }])

    def test_case_totals_time_material_and_cost(self):
        self._create_lines(
            self.case, (self.service_hour, 1.5), (self.service_hour, 1.0),
            (self.spare_part, 2), (self.spare_part, 1, {'billable': False}),
        )
        self.assertRecordValues(self.case, [{
            'tm_hours': 2.5,
            'tm_time_amount': 250.0,
            'tm_material_amount': 3000.0,
            'tm_cost': 2.5 * 60.0 + 3 * 800.0,
            'tm_to_invoice_amount': 2250.0,
            'invoice_count': 0,
        }])

    def test_negative_quantity_refused(self):
        with self.assertRaisesText(ValidationError, self.case.name):
            self._create_lines(self.case, (self.service_hour, -1))

    def test_negative_price_refused(self):
        line = self._create_lines(self.case, (self.service_hour, 1))
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            line.price_unit = -5.0

    def test_closed_case_lines_cannot_be_added_changed_or_deleted(self):
        line = self._create_lines(self.case, (self.service_hour, 1))
        self.case.stage_id = self.stage_solved
        with self.assertRaisesText(UserError, "is closed"):
            self._create_lines(self.case, (self.service_hour, 1))
        with self.assertRaisesText(UserError, "is closed"):
            line.quantity = 3
        with self.assertRaisesText(UserError, "is closed"):
            line.unlink()
        open_line = self._create_lines(self._create_case(), (self.service_hour, 1))
        with self.assertRaisesText(UserError, "is closed"):
            open_line.case_id = self.case

    def test_invoiced_lines_are_locked(self):
        line = self._create_lines(self.case, (self.service_hour, 1))
        self._invoice(line)
        with self.assertRaisesText(UserError, "are invoiced"):
            line.quantity = 2
        with self.assertRaisesText(UserError, "are invoiced"):
            line.unlink()
        line.name = "Diagnosis"  # the description stays free

    @mute_logger('odoo.addons.base.models.ir_model')
    def test_plain_internal_user_cannot_read_lines(self):
        self._create_lines(self.case, (self.service_hour, 1))
        with self.assertRaises(AccessError):
            self.env['aftersales.case.line'].with_user(self.internal_user).search([])

    def test_agent_sees_lines_of_own_team_only(self):
        mine = self._create_lines(self.case, (self.service_hour, 1))
        other = self._create_lines(
            self._create_case(team_id=self.team_other.id), (self.service_hour, 1),
        )
        visible = self.env['aftersales.case.line'].with_user(self.agent).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        self.assertIn(other, self.env['aftersales.case.line'].with_user(self.agent_all).search([]))

    @mute_logger('odoo.addons.base.models.ir_rule')
    def test_other_team_agent_cannot_read_or_invoice_lines(self):
        line = self._create_lines(self.case, (self.service_hour, 1))
        with self.assertRaises(AccessError):
            line.with_user(self.agent_other).read(['quantity'])
        with self.assertRaises(AccessError):
            line.with_user(self.agent_other).action_create_invoice()
        self.assertEqual(line.invoice_status, 'to_invoice')

    # Invoicing

    def test_invoice_amounts_taxes_and_accounts(self):
        lines = self._create_lines(self.case, (self.service_hour, 2.5), (self.spare_part, 2))
        invoice = self._invoice(lines)
        self.assertRecordValues(invoice, [{
            'move_type': 'out_invoice',
            'state': 'draft',
            'partner_id': self.customer.id,
            'amount_untaxed': 2250.0,
            'amount_tax': 337.5,
            'amount_total': 2587.5,
        }])
        self.assertRecordValues(invoice.invoice_line_ids.sorted('id'), [
            {'product_id': self.service_hour.id, 'quantity': 2.5, 'price_unit': 100.0,
             'product_uom_id': self.uom_hour.id, 'tax_ids': self.tax_sale_a.ids,
             'account_id': self.company_data['default_account_revenue'].id},
            {'product_id': self.spare_part.id, 'quantity': 2.0, 'price_unit': 1000.0,
             'product_uom_id': self.uom_unit.id, 'tax_ids': self.tax_sale_a.ids,
             'account_id': self.company_data['default_account_revenue'].id},
        ])
        self.assertIn(self.case.name, invoice.invoice_line_ids[0].name)
        self.assertEqual(lines.invoice_line_id, invoice.invoice_line_ids)
        self.assertEqual(set(lines.mapped('invoice_status')), {'invoiced'})

    def test_invoice_maps_accounts_by_customer_fiscal_position(self):
        self.customer.property_account_position_id = self.fiscal_pos_a
        lines = self._create_lines(self.case, (self.product_a, 1))
        invoice = self._invoice(lines)
        self.assertEqual(invoice.fiscal_position_id, self.fiscal_pos_a)
        self.assertEqual(
            invoice.invoice_line_ids.account_id, self.product_b.property_account_income_id,
        )

    def test_invoice_is_made_for_the_commercial_partner(self):
        case = self._create_case(partner_id=self.contact.id)
        invoice = self._invoice(self._create_lines(case, (self.service_hour, 1)))
        self.assertEqual(invoice.partner_id, self.customer)

    def test_one_invoice_per_customer(self):
        other_case = self._create_case(partner_id=self.customer_other.id)
        lines = (
            self._create_lines(self.case, (self.service_hour, 1), (self.spare_part, 1))
            | self._create_lines(self._create_case(), (self.service_hour, 2))
            | self._create_lines(other_case, (self.service_hour, 3))
        )
        invoices = self._invoice(lines)
        self.assertEqual(len(invoices), 2)
        by_partner = {invoice.partner_id: invoice for invoice in invoices}
        self.assertEqual(len(by_partner[self.customer].invoice_line_ids), 3)
        self.assertEqual(by_partner[self.customer_other].amount_untaxed, 300.0)

    def test_lines_are_not_invoiced_twice(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        self._invoice(lines)
        more = lines | self._create_lines(self.case, (self.spare_part, 1))
        with self.assertRaisesText(UserError, "already invoiced"):
            more.action_create_invoice()
        self.assertEqual(more[1:].invoice_status, 'to_invoice')

    def test_cancelled_invoice_frees_the_lines(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        invoice = self._invoice(lines)
        invoice.button_cancel()
        self.assertEqual(lines.invoice_status, 'to_invoice')
        new_invoice = self._invoice(lines)
        self.assertNotEqual(new_invoice, invoice)
        self.assertEqual(lines.invoice_status, 'invoiced')

    def test_deleted_draft_invoice_frees_the_lines(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        self._invoice(lines).unlink()
        self.assertFalse(lines.invoice_line_id)
        self.assertEqual(lines.invoice_status, 'to_invoice')

    def test_non_billable_lines_refused(self):
        lines = self._create_lines(self.case, (self.service_hour, 1, {'name': "Warranty work",
                                                                      'billable': False}))
        with self.assertRaisesText(UserError, "Warranty work"):
            lines.action_create_invoice()
        self.assertFalse(lines.invoice_line_id)

    def test_lines_without_customer_refused(self):
        lines = self._create_lines(self._create_case(partner_id=False), (self.service_hour, 1))
        with self.assertRaisesText(UserError, "case without customer"):
            lines.action_create_invoice()

    def test_closed_case_lines_can_still_be_invoiced(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        self.case.stage_id = self.stage_solved
        self.assertTrue(self._invoice(lines))

    def test_invoice_link_cannot_be_cleared_by_hand(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        self._invoice(lines)
        with self.assertRaisesText(UserError, "set by invoicing"):
            lines.with_user(self.agent).write({'invoice_line_id': False})
        with self.assertRaisesText(UserError, "already invoiced"):
            lines.with_user(self.agent).action_create_invoice()

    def test_case_with_invoiced_lines_cannot_be_deleted(self):
        self._invoice(self._create_lines(self.case, (self.service_hour, 1)))
        with self.assertRaisesText(UserError, "archive it instead"):
            self.case.unlink()

    def test_agent_creates_the_draft_invoice_but_cannot_post_it(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        action = lines.with_user(self.agent).action_create_invoice()
        self.assertEqual(action['tag'], 'display_notification')
        invoice = lines.invoice_id
        self.assertRecordValues(invoice, [{'state': 'draft', 'create_uid': self.agent.id}])
        with mute_logger('odoo.addons.base.models.ir_model'), self.assertRaises(AccessError):
            invoice.with_user(self.agent).action_post()
        self.assertEqual(invoice.state, 'draft')
        invoice.action_post()  # accountman
        self.assertEqual(invoice.state, 'posted')

    def test_accountant_gets_the_invoice_opened(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        action = lines.action_create_invoice()
        self.assertEqual(action['res_model'], 'account.move')
        self.assertEqual(action['res_id'], lines.invoice_id.id)

    def test_list_action_invoices_the_selected_lines(self):
        lines = self._create_lines(self.case, (self.service_hour, 1), (self.spare_part, 1))
        server_action = self.env.ref('aftersales_case.aftersales_case_line_action_create_invoice')
        server_action.with_user(self.agent).with_context(
            active_model='aftersales.case.line', active_ids=lines.ids,
        ).run()
        self.assertEqual(len(lines.invoice_id), 1)

    def test_case_smart_button_opens_its_invoices(self):
        lines = self._create_lines(self.case, (self.service_hour, 1), (self.spare_part, 1))
        self._invoice(lines[0])
        self._invoice(lines[1])
        self.assertEqual(self.case.invoice_count, 2)
        action = self.case.action_view_invoices()
        self.assertCountEqual(action['domain'][0][2], lines.invoice_id.ids)

    def test_invoicing_locks_the_lines_before_checking_them(self):
        lines = self._create_lines(self.case, (self.service_hour, 1))
        self.env.flush_all()
        with self.assertLogs('odoo.sql_db', 'DEBUG') as logs:
            lines.action_create_invoice()
        queries = [record.getMessage() for record in logs.records]
        lock = next(i for i, q in enumerate(queries) if 'FOR NO KEY UPDATE' in q)
        insert = next(i for i, q in enumerate(queries) if 'INSERT INTO "account_move"' in q)
        self.assertLess(lock, insert)

    def _count_queries(self, func):
        self.env.invalidate_all()
        self.env.flush_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_invoicing_query_count_does_not_grow_with_lines(self):
        """Invoicing 50 lines of 5 cases costs the queries of 10 lines.

        Each size is invoiced once before it is counted: core loads some
        registry caches and user data (``env.tz``) on first use.
        """
        cases = [self._create_case() for _i in range(5)]

        def lines_on_cases(count):
            return self.env['aftersales.case.line'].concat(*(
                self._create_lines(cases[i % 5], (self.service_hour, 1), (self.spare_part, 1))
                for i in range(count // 2)
            ))

        self._invoice(lines_on_cases(10))
        self._invoice(lines_on_cases(10))
        lines_10 = lines_on_cases(10)
        count_10 = self._count_queries(lines_10.action_create_invoice)
        self.assertEqual(len(lines_10.invoice_id.invoice_line_ids), 10)

        self._invoice(lines_on_cases(50))
        lines_50 = lines_on_cases(50)
        self.env.invalidate_all()
        with self.assertQueryCount(count_10):
            lines_50.action_create_invoice()
        self.assertEqual(len(lines_50.invoice_id.invoice_line_ids), 50)


@tagged('post_install', '-at_install')
class TestTimeMaterialConcurrency(BaseCase):
    """Two users invoice the same lines at once (SECURITY.md CC2).

    The data is committed, as each user works in a transaction of their
    own, and removed again after the test.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            cls.user_id = env.ref('base.user_admin').id
            partner = env['res.partner'].create({'name': "Concurrent Customer"})
            product = env['product.product'].create({
                'name': "Concurrent Hour", 'type': 'service', 'list_price': 80.0,
            })
            case = env['aftersales.case'].create({
                'subject': "Two agents invoice me", 'partner_id': partner.id, 'team_id': False,
                'user_id': cls.user_id,
            })
            lines = env['aftersales.case.line'].create([
                {'case_id': case.id, 'product_id': product.id, 'quantity': qty}
                for qty in (1, 2)
            ])
            cls.ids = {'partner': partner.id, 'product': product.id, 'case': case.id,
                       'lines': lines.ids}
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            lines = env['aftersales.case.line'].browse(cls.ids['lines'])
            lines.invoice_id.unlink()
            lines.unlink()
            env['aftersales.case'].browse(cls.ids['case']).unlink()
            env['product.product'].browse(cls.ids['product']).unlink()
            env['res.partner'].browse(cls.ids['partner']).unlink()

    def _invoice_in_own_transaction(self, barrier):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.user_id, {})
            lines = env['aftersales.case.line'].browse(self.ids['lines'])
            barrier.wait(timeout=10)
            try:
                retrying(partial(lines.action_create_invoice), env)
            except UserError as error:
                return str(error)
            return "invoiced"

    @mute_logger('odoo.sql_db', 'odoo.service.model')
    def test_two_users_invoicing_the_same_lines_make_one_invoice(self):
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(self._invoice_in_own_transaction, barrier) for _i in range(2)]
            outcomes = sorted(future.result(timeout=60) for future in futures)
        self.assertEqual(outcomes[1], "invoiced")
        self.assertIn("already invoiced", outcomes[0])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            invoices = env['account.move'].search([('partner_id', '=', self.ids['partner'])])
            self.assertEqual(len(invoices), 1)
            self.assertEqual(len(invoices.invoice_line_ids), 2)
