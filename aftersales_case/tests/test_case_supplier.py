from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCaseCommon


@tagged('post_install', '-at_install')
class TestCaseSupplier(AftersalesCaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env['res.partner'].create({'name': "Case Vendor Ltd", 'is_company': True})
        cls.other_vendor = cls.env['res.partner'].create({'name': "Other Vendor Ltd", 'is_company': True})
        other_company = cls.env['res.company'].create({'name': "Case Vendor Other Company"})
        cls.product = cls.env['product.product'].create({
            'name': "Case Scanner",
            'seller_ids': [
                # A vendor of another company is not this company's main vendor.
                Command.create({'partner_id': cls.other_vendor.id, 'company_id': other_company.id,
                                'sequence': 1}),
                Command.create({'partner_id': cls.vendor.id, 'sequence': 2}),
            ],
        })
        cls.other_product = cls.env['product.product'].create({
            'name': "Case Label Printer",
            'seller_ids': [Command.create({'partner_id': cls.other_vendor.id})],
        })

    def test_supplier_is_the_first_vendor_valid_for_the_company(self):
        case = self._create_case(product_ids=[self.product.id])
        self.assertEqual(case.supplier_id, self.vendor)

    def test_supplier_set_by_hand_stays_when_the_products_change(self):
        case = self._create_case(product_ids=[self.product.id])
        manual = self.env['res.partner'].create({'name': "Chosen Vendor"})
        case.supplier_id = manual
        case.product_ids = [Command.set(self.other_product.ids)]
        self.assertEqual(case.supplier_id, manual)

    def test_cases_are_searched_and_grouped_by_supplier(self):
        first = self._create_case(product_ids=[self.product.id])
        second = self._create_case(product_ids=[self.other_product.id])
        Case = self.env['aftersales.case']
        self.assertEqual(Case.search([('supplier_id', '=', self.vendor.id)]), first)
        groups = dict(Case._read_group(
            [('id', 'in', (first | second).ids)], ['supplier_id'], ['__count'],
        ))
        self.assertEqual(groups, {self.vendor: 1, self.other_vendor: 1})
