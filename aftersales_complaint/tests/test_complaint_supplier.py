from odoo import Command
from odoo.tests import tagged

from .common import AftersalesComplaintCommon


@tagged('post_install', '-at_install')
class TestComplaintSupplier(AftersalesComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env['res.partner'].create({'name': "Desk Maker Ltd", 'is_company': True})
        cls.product_a.seller_ids = [Command.create({'partner_id': cls.vendor.id, 'price': 60.0})]

    def test_supplier_is_the_main_vendor_of_the_first_product(self):
        complaint = self._create_complaint(invoice_id=self._create_invoice().id)
        self.assertEqual(complaint.product_ids[0], self.product_a)
        self.assertEqual(complaint.supplier_id, self.vendor)

    def test_products_without_vendor_leave_no_supplier(self):
        complaint = self._create_complaint(product_ids=[Command.set(self.product_b.ids)])
        self.assertFalse(complaint.supplier_id)

    def test_supplier_set_by_hand_stays_when_the_products_change(self):
        manual = self.env['res.partner'].create({'name': "Chosen Desk Vendor"})
        complaint = self._create_complaint(supplier_id=manual.id)
        complaint.product_ids = [Command.set(self.product_a.ids)]
        self.assertEqual(complaint.supplier_id, manual)

    def test_agent_sets_the_supplier_and_finds_complaints_by_it(self):
        complaint = self._create_complaint(product_ids=[Command.set(self.product_b.ids)])
        complaint.with_user(self.agent).supplier_id = self.vendor
        Complaint = self.env['aftersales.complaint'].with_user(self.agent)
        self.assertEqual(Complaint.search([('supplier_id', '=', self.vendor.id)]), complaint)
