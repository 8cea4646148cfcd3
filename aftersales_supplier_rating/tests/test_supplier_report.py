from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesSupplierRatingCommon


@tagged('post_install', '-at_install')
class TestSupplierReport(AftersalesSupplierRatingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env['aftersales.supplier.report']

    def setUp(self):
        super().setUp()
        self._create_figures()
        self.env.flush_all()

    def test_figures_by_kind(self):
        rows = self.Report._read_group(
            [('supplier_id', '=', self.vendor.id)], ['kind'],
            ['__count', 'cost:sum', 'quantity:sum', 'lead_time:avg'],
        )
        self.assertEqual(
            [(kind, count, cost, quantity) for kind, count, cost, quantity, _lead in rows],
            [('case', 1, 40.0, 1.0), ('complaint', 3, 470.0, 3.0),
             ('repair', 2, 100.0, 2.0), ('return', 1, 200.0, 2.0)],
            "cancelled complaints and other suppliers are left out; a repair counts its part "
            "at its sales price and its extra costs",
        )
        lead_times = {kind: lead for kind, *_rest, lead in rows}
        self.assertAlmostEqual(lead_times['case'], 2.0)
        self.assertAlmostEqual(lead_times['complaint'], 10.0, msg="only the closed complaint has one")
        self.assertAlmostEqual(lead_times['repair'], 3.0, msg="only the done repair has one")
        self.assertFalse(lead_times['return'])

    def test_open_documents_and_rows(self):
        open_kinds = dict(self.Report._read_group(
            [('supplier_id', '=', self.vendor.id), ('is_open', '=', True)], ['kind'], ['__count'],
        ))
        self.assertEqual(open_kinds, {'complaint': 2, 'return': 1, 'repair': 1})
        row = self.Report.search([('kind', '=', 'return'), ('supplier_id', '=', self.vendor.id)])
        self.assertRecordValues(row, [{
            'name': self.return_line.rma_id.name, 'product_id': self.product_delivery.id,
            'return_reason_id': self.return_reason.id, 'partner_id': self.customer.id,
            'company_id': self.company.id, 'quantity': 2.0, 'cost': 200.0,
        }])
        complaint_row = self.Report.search([('name', '=', self.complaint_closed.name)])
        self.assertRecordValues(complaint_row, [{
            'kind': 'complaint', 'complaint_reason_id': self.complaint_reason.id,
            'product_id': self.product_delivery.id, 'lead_time': 10.0, 'is_open': False,
        }])

    def test_supplier_changed_by_hand_moves_the_figures(self):
        self.complaint_open.supplier_id = self.vendor_other
        self.env.flush_all()
        counts = dict(self.Report._read_group(
            [('kind', '=', 'complaint'), ('supplier_id', 'in', (self.vendor | self.vendor_other).ids)],
            ['supplier_id'], ['__count'],
        ))
        self.assertEqual(counts, {self.vendor: 2, self.vendor_other: 2})

    def test_only_managers_read_the_report(self):
        for user in (self.agent, self.agent_all, self.technician, self.internal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Report.with_user(user).search([])
        rows = self.Report.with_user(self.rating_manager)._read_group(
            [('supplier_id', '=', self.vendor.id)], [], ['__count'],
        )
        self.assertEqual(rows, [(7,)])

    def test_rows_of_other_companies_are_hidden(self):
        other_company = self.env['res.company'].create({'name': "Lampworks Other Branch"})
        foreign = self.env['aftersales.complaint'].sudo().create({
            'title': "Abroad", 'company_id': other_company.id, 'supplier_id': self.vendor.id,
            'date_issue': '2026-01-12', 'amount': 500.0,
        })
        self.env.flush_all()
        self.assertTrue(self.Report.sudo().search([('name', '=', foreign.name)]))
        manager_rows = self.Report.with_user(self.rating_manager).search(
            [('supplier_id', '=', self.vendor.id)],
        )
        self.assertEqual(len(manager_rows), 7)
        self.assertNotIn(foreign.name, manager_rows.mapped('name'))
        both = new_test_user(
            self.env, login='rating_manager_both', company_id=self.company.id,
            company_ids=[self.company.id, other_company.id],
            groups='aftersales_case.aftersales_group_manager',
        )
        rows = self.Report.with_user(both).with_context(
            allowed_company_ids=[self.company.id, other_company.id],
        ).search([('supplier_id', '=', self.vendor.id)])
        self.assertIn(foreign.name, rows.mapped('name'))

    def test_smart_button_opens_the_supplier_pivot(self):
        vendor = self.vendor.with_user(self.rating_manager)
        self.assertEqual(vendor.aftersales_supplier_report_count, 7)
        action = vendor.action_view_aftersales_supplier_rating()
        self.assertEqual(action['res_model'], 'aftersales.supplier.report')
        self.assertEqual(action['domain'], [('supplier_id', '=', self.vendor.id)])
        self.assertTrue(action['view_mode'].startswith('pivot'))
        self.assertEqual(len(self.Report.with_user(self.rating_manager).search(action['domain'])), 7)

    def test_smart_button_count_is_for_managers_only(self):
        with self.assertRaises(AccessError):
            _count = self.vendor.with_user(self.agent_all).aftersales_supplier_report_count
