from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRmaPurchaseCommon


@tagged('post_install', '-at_install')
class TestVendorReturnSettlement(AftersalesRmaPurchaseCommon):
    """Going to a vendor is what happens to the goods, not how the customer
    is settled: a unit at a vendor is neither scrapped nor sent back to the
    customer, and a unit scrapped or sent back does not go to a vendor."""

    def _at_vendor(self, resolution='refund', qty=2):
        """A return of lamps whose goods, all but one, went back to the vendor."""
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, qty, resolution, None)])
        self._return_to_vendor(rma, quantities={self.lamp: qty - 1})
        return rma

    def test_a_line_with_goods_at_a_vendor_cannot_become_scrap(self):
        rma = self._at_vendor()
        with self.assertRaisesText(UserError, "went back to a vendor"):
            rma.with_user(self.agent).line_ids.resolution = 'scrap'
        self.assertEqual(rma.line_ids.resolution, 'refund')

    def test_a_line_with_goods_at_a_vendor_cannot_be_sent_back_as_is(self):
        rma = self._at_vendor(resolution='replace')
        with self.assertRaisesText(UserError, "went back to a vendor"):
            rma.with_user(self.agent).line_ids.resolution = 'return'
        self.assertEqual(rma.line_ids.resolution, 'replace')

    def test_a_line_with_goods_at_a_vendor_may_still_change_how_the_customer_is_settled(self):
        rma = self._at_vendor()
        self.assertFalse(rma.line_ids.is_resolution_locked)
        rma.with_user(self.agent).line_ids.resolution = 'replace'
        rma.with_user(self.agent).action_replace()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        self.assertEqual(delivery.move_ids.product_uom_qty, 2, "the customer still gets both units")

    def test_scrapping_leaves_the_goods_at_a_vendor_alone(self):
        rma = self._at_vendor()
        # Written past the checks, as a server action or an import would.
        rma.line_ids.sudo().resolution = 'scrap'
        self.assertEqual(rma.line_ids._get_qty_waiting(), 1)
        rma.with_user(self.agent).action_scrap()
        self.assertEqual(rma.line_ids.qty_scrapped, 1, "only the unit still here")

    def test_sending_back_as_is_leaves_the_goods_at_a_vendor_alone(self):
        rma = self._at_vendor()
        rma.line_ids.sudo().resolution = 'return'
        rma.with_user(self.agent).action_return_goods()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        self.assertEqual(delivery.move_ids.product_uom_qty, 1, "only the unit still here")

    def test_scrapped_goods_do_not_go_to_a_vendor(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 2, 'scrap', None)])
        rma.with_user(self.agent).action_scrap()
        rma.line_ids.sudo().resolution = 'refund'
        self.assertEqual(rma.line_ids._get_qty_for_vendor(), 0)
        with self.assertRaisesText(UserError, "at most 0.0 Units"):
            rma.with_user(self.agent)._return_to_vendor({rma.line_ids: 1})

    def test_goods_sent_back_to_the_customer_do_not_go_to_a_vendor(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 2, 'return', None)])
        rma.with_user(self.agent).action_return_goods()
        rma.line_ids.sudo().resolution = 'repair'
        self.assertEqual(rma.line_ids._get_qty_for_vendor(), 0)
        self.assertFalse(rma.has_goods_for_vendor)

    def test_a_replace_line_switched_to_return_before_going_to_a_vendor_is_refused(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 1, 'replace', None)])
        rma.with_user(self.agent).line_ids.resolution = 'return'
        with self.assertRaisesText(UserError, "not to a vendor"):
            rma.with_user(self.agent)._return_to_vendor({rma.line_ids: 1})
