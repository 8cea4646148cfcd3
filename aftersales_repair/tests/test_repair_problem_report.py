from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesRepairCommon


@tagged('post_install', '-at_install')
class TestRepairProblemReport(AftersalesRepairCommon):
    """Which products came back for repair, by product, lot, year of
    manufacture and vendor, each user counting the repairs of his companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env['res.company'].create({'name': "Repairs Elsewhere Ltd"})
        cls.vendor_shared = cls.env['res.partner'].create({'name': "Register Makers Inc"})
        cls.vendor_local = cls.env['res.partner'].create({'name': "Local Keyboards Ltd"})
        cls.register, cls.scale = cls.env['product.product'].create([{
            'name': "Cash Register CR-9", 'is_storable': True, 'tracking': 'lot',
            'seller_ids': [Command.create({
                'partner_id': cls.vendor_shared.id, 'sequence': 1, 'company_id': False,
            })],
        }, {
            'name': "Shop Scale SC-2", 'is_storable': True, 'tracking': 'lot',
            # The local vendor supplies this company only; elsewhere the shared one.
            'seller_ids': [
                Command.create({'partner_id': cls.vendor_shared.id, 'sequence': 5, 'company_id': False}),
                Command.create({
                    'partner_id': cls.vendor_local.id, 'sequence': 1, 'company_id': cls.company.id,
                }),
            ],
        }])
        cls.lot_2021, cls.lot_2023, cls.lot_scale = cls.env['stock.lot'].create([
            {'name': "CR9-2021-A", 'product_id': cls.register.id, 'aftersales_manufacture_year': 2021},
            {'name': "CR9-2023-B", 'product_id': cls.register.id, 'aftersales_manufacture_year': 2023},
            {'name': "SC2-2021-C", 'product_id': cls.scale.id, 'aftersales_manufacture_year': 2021},
        ])
        cls.repairs = cls.env['repair.order'].create([
            cls._repair_vals(cls.register, cls.lot_2021, under_warranty=True),
            cls._repair_vals(cls.register, cls.lot_2021),
            cls._repair_vals(cls.register, cls.lot_2023),
            cls._repair_vals(cls.scale, cls.lot_scale),
        ])
        cls.repair_elsewhere = cls.env['repair.order'].with_company(cls.other_company).create(
            cls._repair_vals(cls.scale, cls.env['stock.lot']),
        )
        cls.Report = cls.env['aftersales.repair.problem.report']
        cls.internal_user = new_test_user(
            cls.env, login='repair_problem_internal', company_id=cls.company.id, groups='base.group_user',
        )

    @classmethod
    def _repair_vals(cls, product, lot, under_warranty=False):
        return {
            'partner_id': cls.customer.id, 'product_id': product.id, 'lot_id': lot.id,
            'under_warranty': under_warranty,
        }

    def _count_by(self, user, groupby, domain=()):
        Report = self.env['aftersales.repair.problem.report'].with_user(user)
        return dict(Report._read_group(list(domain), [groupby], ['repair_count:sum']))

    def test_counts_by_product_lot_and_year_of_manufacture(self):
        self.assertEqual(self._count_by(self.technician, 'product_id'), {self.register: 3, self.scale: 1})
        self.assertEqual(self._count_by(self.technician, 'lot_id'), {
            self.lot_2021: 2, self.lot_2023: 1, self.lot_scale: 1,
        })
        self.assertEqual(self._count_by(self.technician, 'manufacture_year'), {2021: 3, 2023: 1})
        under_warranty = [('under_warranty', '=', True)]
        self.assertEqual(self._count_by(self.technician, 'product_id', under_warranty), {self.register: 1})

    def test_the_vendor_is_the_first_of_the_repairs_company(self):
        self.assertEqual(
            self._count_by(self.technician, 'vendor_id'), {self.vendor_shared: 3, self.vendor_local: 1},
        )
        # Elsewhere the local vendor does not supply the scale: the shared one does.
        row = self.Report.search([('repair_id', '=', self.repair_elsewhere.id)])
        self.assertEqual(row.vendor_id, self.vendor_shared)

    def test_another_companys_repairs_stay_out_of_the_count(self):
        rows = self.env['aftersales.repair.problem.report'].with_user(self.technician).search([
            ('product_id', 'in', (self.register | self.scale).ids),
        ])
        self.assertEqual(rows.repair_id, self.repairs)

    def test_a_plain_internal_user_cannot_read_the_analysis(self):
        with self.assertRaises(AccessError):
            self.env['aftersales.repair.problem.report'].with_user(self.internal_user).search([])

    def test_a_row_opens_its_repair_where_the_solution_is_read(self):
        row = self.env['aftersales.repair.problem.report'].with_user(self.technician).search([
            ('lot_id', '=', self.lot_2023.id),
        ])
        action = row.action_open_repair()
        self.assertEqual((action['res_model'], action['res_id']), ('repair.order', self.repairs[2].id))

    def test_product_smart_button_counts_and_opens_the_products_repairs(self):
        templates = (self.register | self.scale).product_tmpl_id.with_user(self.technician)
        templates.mapped('aftersales_repair_problem_count')  # warm the rights' caches
        templates.invalidate_recordset(['aftersales_repair_problem_count'])
        with self.assertQueryCount(1):  # one grouped query for every product
            counts = templates.mapped('aftersales_repair_problem_count')
        self.assertEqual(counts, [3, 1])
        action = templates[0].action_aftersales_view_repair_problems()
        rows = self.Report.with_user(self.technician).search(action['domain'])
        self.assertEqual(rows.repair_id, self.repairs[:3])

    def test_vendor_smart_button_is_for_repair_managers(self):
        vendors = (self.vendor_shared | self.vendor_local).with_user(self.repair_manager)
        self.assertEqual(vendors.mapped('aftersales_repair_problem_count'), [3, 1])
        action = vendors[1].action_aftersales_view_repair_problems()
        rows = self.Report.with_user(self.repair_manager).search(action['domain'])
        self.assertEqual(rows.repair_id, self.repairs[3])
        # The count is a manager's field: a technician does not read it.
        with self.assertRaises(AccessError):
            self.vendor_shared.with_user(self.technician).aftersales_repair_problem_count  # noqa: B018
