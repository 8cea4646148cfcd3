from odoo import Command
from odoo.tests import tagged

from .common import AftersalesRmaCommon


@tagged('post_install', '-at_install')
class TestRmaSupplier(AftersalesRmaCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env['res.partner'].create({'name': "Return Vendor Ltd", 'is_company': True})
        cls.foreign_vendor = cls.env['res.partner'].create({'name': "Foreign Vendor Ltd"})
        other_company = cls.env['res.company'].create({'name': "Return Vendor Other Company"})
        cls.product_delivery.seller_ids = [
            Command.create({'partner_id': cls.foreign_vendor.id, 'company_id': other_company.id,
                            'sequence': 1}),
            Command.create({'partner_id': cls.vendor.id, 'sequence': 2}),
        ]

    def _draft_return(self):
        order = self._deliver_order([(self.product_delivery, 2), (self.product_order, 1)])
        return self._create_rma(order, [(self.product_delivery, 1, 'refund', None)])

    def _change_to_chair(self, line):
        chair_line = line.rma_id.sale_order_id.order_line.filtered(
            lambda sol: sol.product_id == self.product_order
        )
        line.write({'product_id': self.product_order.id, 'sale_line_id': chair_line.id})

    def test_supplier_is_the_main_vendor_of_the_company(self):
        rma = self._draft_return()
        self.assertEqual(rma.line_ids.supplier_id, self.vendor)

    def test_no_vendor_leaves_the_supplier_empty(self):
        order = self._deliver_order([(self.product_order, 1)])
        rma = self._create_rma(order, [(self.product_order, 1, 'refund', None)])
        self.assertFalse(rma.line_ids.supplier_id)

    def test_supplier_set_by_hand_stays_when_the_product_changes(self):
        line = self._draft_return().line_ids
        manual = self.env['res.partner'].create({'name': "Chosen Return Vendor"})
        line.supplier_id = manual
        self._change_to_chair(line)
        self.assertEqual(line.supplier_id, manual)

    def test_default_supplier_follows_the_new_product(self):
        line = self._draft_return().line_ids
        line.supplier_id = False
        other_vendor = self.env['res.partner'].create({'name': "Chair Vendor Ltd"})
        self.product_order.seller_ids = [Command.create({'partner_id': other_vendor.id})]
        self._change_to_chair(line)
        self.assertEqual(line.supplier_id, other_vendor)
