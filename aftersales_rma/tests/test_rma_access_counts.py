from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import AftersalesRmaCommon


@tagged('post_install', '-at_install')
class TestRmaCountsFollowRights(AftersalesRmaCommon):
    """The return counters and links of orders, invoices and cases count what
    their reader may open, as the lists their buttons open, and keep one
    query per batch of records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller_agent = new_test_user(
            cls.env, login='counts_seller_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,sales_team.group_sale_salesman',
        )
        cls.salesperson = new_test_user(
            cls.env, login='counts_salesperson', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman_all_leads',
        )
        cls.other_agent = new_test_user(
            cls.env, login='counts_other_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user',
        )
        cls.team_own = cls.env['aftersales.team'].create({
            'name': "Counts Own Desk", 'member_ids': [Command.set(cls.seller_agent.ids)],
        })
        cls.team_other = cls.env['aftersales.team'].create({
            'name': "Counts Other Desk", 'member_ids': [Command.set(cls.other_agent.ids)],
        })
        cls.orders = cls.env['sale.order']
        cls.invoices = cls.env['account.move']
        cls.cases = cls.env['aftersales.case']
        for _index in range(3):
            order = cls._delivered_order(user=cls.seller_agent)
            invoice = order._create_invoices()
            invoice.action_post()
            case = cls.env['aftersales.case'].create({
                'subject': "Lamps to return", 'partner_id': cls.customer.id,
                'team_id': cls.team_own.id, 'sale_order_id': order.id,
            })
            for team, user in ((cls.team_own, cls.env.user), (cls.team_other, cls.other_agent)):
                cls._order_return(order, team, user).write({'invoice_id': invoice.id, 'case_id': case.id})
            cls.orders |= order
            cls.invoices |= invoice
            cls.cases |= case
        cls.order, cls.invoice, cls.case = cls.orders[0], cls.invoices[0], cls.cases[0]
        cls.rma_own, cls.rma_other = cls.order.aftersales_rma_ids.sorted('id')

    @classmethod
    def _delivered_order(cls, user):
        order = cls.env['sale.order'].create({
            'partner_id': cls.customer.id, 'warehouse_id': cls.warehouse.id, 'user_id': user.id,
            'order_line': [Command.create({'product_id': cls.product_order.id, 'product_uom_qty': 5})],
        })
        order.action_confirm()
        order.picking_ids.move_ids.quantity = 5
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        return order

    @classmethod
    def _order_return(cls, order, team, user):
        return cls.env['aftersales.rma'].create({
            'partner_id': cls.customer.id, 'sale_order_id': order.id,
            'team_id': team.id, 'user_id': user.id,
            'line_ids': [Command.create({
                'product_id': cls.product_order.id, 'product_uom_qty': 1,
                'sale_line_id': order.order_line.id,
            })],
        })

    def _opened(self, action, user):
        """The records a window action opens for ``user``: its form's record,
        or what its list finds."""
        records = self.env[action['res_model']].with_user(user)
        if action.get('res_id'):
            return records.browse(action['res_id']).exists()
        return records.search(action['domain'])

    def _assert_one_query_per_batch(self, records, field_name, user):
        """``field_name`` takes as many queries for one of ``records`` as for
        all of them, read by ``user`` on empty caches."""
        records = records.with_user(user)
        records.mapped(field_name)  # access rights and rules cached
        queries = []
        for ids in (records[:1].ids, records.ids):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.browse(ids).mapped(field_name)
            queries.append(self.env.cr.sql_log_count - before)
        self.assertEqual(queries[0], queries[1], f"queries for 1 and {len(records)} records")

    # Sale orders

    def test_order_counts_the_returns_its_reader_can_open(self):
        order = self.order.with_user(self.seller_agent)
        self.assertEqual(order.aftersales_rma_count, 1)
        self.assertEqual(self._opened(order.action_view_aftersales_rmas(), self.seller_agent), self.rma_own)

    def test_salesperson_without_after_sales_rights_reads_an_order_with_returns(self):
        values = self.order.with_user(self.salesperson).read()[0]
        self.assertEqual(values['name'], self.order.name)
        self.assertNotIn('aftersales_rma_ids', values)
        self.assertNotIn('aftersales_rma_count', values)

    def test_order_counts_a_return_naming_it_without_its_lines(self):
        elsewhere = self.env['aftersales.rma'].create({
            'partner_id': self.customer.id, 'sale_order_id': self.order.id,
            'line_ids': [Command.create({'product_id': self.product_delivery.id, 'product_uom_qty': 1})],
        })
        self.assertEqual(self.order.aftersales_rma_count, 3)
        self.assertEqual(
            self._opened(self.order.action_view_aftersales_rmas(), self.env.user),
            self.rma_own | self.rma_other | elsewhere,
        )

    def test_order_count_takes_one_query_per_batch(self):
        self._assert_one_query_per_batch(self.orders, 'aftersales_rma_count', self.seller_agent)
        self.assertEqual(self.orders.with_user(self.seller_agent).mapped('aftersales_rma_count'), [1, 1, 1])

    # Invoices

    def test_invoice_lists_the_returns_its_reader_can_open(self):
        invoice = self.invoice.with_user(self.seller_agent)
        self.assertEqual(invoice.aftersales_rma_ids, self.rma_own)
        self.assertEqual(invoice.aftersales_rma_count, 1)

    def test_invoice_returns_are_no_field_for_a_salesperson_without_after_sales_rights(self):
        fields = self.invoice.with_user(self.salesperson).fields_get()
        self.assertIn('invoice_line_ids', fields)
        self.assertNotIn('aftersales_rma_ids', fields)
        self.assertNotIn('aftersales_rma_count', fields)

    def test_invoice_lists_every_return_for_accounting(self):
        invoice = self.invoice.with_user(self.accountant)
        self.assertEqual(invoice.aftersales_rma_ids, self.rma_own | self.rma_other)

    def test_invoice_returns_take_one_query_per_batch(self):
        self._assert_one_query_per_batch(self.invoices, 'aftersales_rma_count', self.seller_agent)
        self.assertEqual(self.invoices.with_user(self.seller_agent).mapped('aftersales_rma_count'), [1, 1, 1])

    # Cases

    def test_case_counts_the_returns_its_reader_can_open(self):
        self.assertEqual(self.case.aftersales_rma_count, 2)
        case = self.case.with_user(self.seller_agent)
        self.assertEqual(case.aftersales_rma_count, 1)
        self.assertEqual(self._opened(case.action_view_aftersales_rmas(), self.seller_agent), self.rma_own)

    def test_case_count_takes_one_query_per_batch(self):
        self._assert_one_query_per_batch(self.cases, 'aftersales_rma_count', self.seller_agent)
        self.assertEqual(self.cases.with_user(self.seller_agent).mapped('aftersales_rma_count'), [1, 1, 1])

    def test_case_panel_counts_the_open_returns_its_reader_can_open(self):
        self.assertEqual(self.case.customer_rma_count, 6)
        case = self.case.with_user(self.seller_agent)
        self.assertEqual(case.customer_rma_count, 3)
        self.assertEqual(
            len(self._opened(case.action_view_customer_rmas(), self.seller_agent).filtered(
                lambda rma: rma.state not in ('done', 'cancel', 'rejected')
            )), 3,
        )
