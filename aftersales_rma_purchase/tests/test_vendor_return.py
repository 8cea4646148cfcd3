from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRmaPurchaseCommon


@tagged('post_install', '-at_install')
class TestVendorReturn(AftersalesRmaPurchaseCommon):
    """Goods a customer returned go back to the vendor on a return of the
    purchase receipt that brought them in."""

    def test_goods_go_back_on_a_return_of_the_purchase_receipt(self):
        purchase = self._purchase([(self.lamp, 5), (self.shade, 5)])
        receipt = purchase.picking_ids
        rma = self._returned([(self.lamp, 2, 'refund', None)])
        line = rma.line_ids
        self.assertTrue(rma.has_goods_for_vendor)

        vendor_return = self._return_to_vendor(rma)
        self.assertRecordValues(vendor_return, [{
            'return_id': receipt.id, 'picking_type_code': 'outgoing', 'partner_id': self.vendor.id,
            'aftersales_vendor_rma_id': rma.id, 'state': 'assigned',
        }])
        self.assertIn(rma.name, vendor_return.origin)
        self.assertRecordValues(vendor_return.move_ids, [{
            'product_id': self.lamp.id, 'product_uom_qty': 2, 'to_refund': True,
            'origin_returned_move_id': receipt.move_ids.filtered(lambda m: m.product_id == self.lamp).id,
            'purchase_line_id': self._order_line(purchase, self.lamp).id,
            'aftersales_vendor_line_id': line.id,
        }])
        self.assertEqual(line.qty_to_vendor, 2, "goods on their way count at once")
        self.assertFalse(rma.has_goods_for_vendor)
        self.assertEqual(rma.vendor_picking_count, 1)
        self.assertEqual(rma.action_view_vendor_pickings()['res_id'], vendor_return.id)
        self.assertEqual(vendor_return.action_view_aftersales_vendor_rma()['res_id'], rma.id)

        self._validate(vendor_return)
        lamp_line = self._order_line(purchase, self.lamp)
        self.assertEqual((lamp_line.qty_received, lamp_line.qty_to_invoice), (3, -2))
        self.assertEqual(self._order_line(purchase, self.shade).qty_received, 5)
        self.assertEqual(line.qty_to_vendor, 2)

    def test_sending_goods_to_a_vendor_settles_nothing_for_the_customer(self):
        self._purchase([(self.lamp, 5)])
        order = self._deliver_order([(self.lamp, 3)])
        self._invoice(order)
        rma = self._returned([(self.lamp, 2, 'refund', None)], order=order)
        self._validate(self._return_to_vendor(rma))
        self.assertEqual(rma.state, 'received')
        self.assertTrue(rma.is_pending_credit)
        self.assertFalse(rma.line_ids.is_resolution_locked)
        rma.with_user(self.agent).action_refund()
        self.assertEqual(rma.line_ids.qty_credit_draft, 2)

    def test_serial_goes_back_on_the_receipt_that_brought_it(self):
        first, second = self.scanner_serials[:1], self.scanner_serials[1:2]
        self._purchase([(self.scanner, 1)], serials=first)
        purchase = self._purchase([(self.scanner, 1)], serials=second, vendor=self.vendor_other)
        receipt = purchase.picking_ids
        self._purchase([(self.scanner, 1)], serials=self.scanner_serials[2:3])
        rma = self._returned([(self.scanner, 1, 'replace', second)])

        vendor_return = self._return_to_vendor(rma)
        self.assertEqual(vendor_return.return_id, receipt)
        self.assertEqual(vendor_return.partner_id, self.vendor_other)
        self.assertEqual(vendor_return.move_ids.move_line_ids.lot_id, second)
        self._validate(vendor_return)
        self.assertEqual(second.product_qty, 0, "the serial left the warehouse")
        self.assertEqual(self._order_line(purchase, self.scanner).qty_received, 0)

    def test_the_latest_receipt_with_enough_left_is_returned(self):
        older = self._purchase([(self.lamp, 5)]).picking_ids
        self._purchase([(self.lamp, 1)])
        rma = self._returned([(self.lamp, 2, 'refund', None)])
        self.assertEqual(self._return_to_vendor(rma).return_id, older)

    def test_receipts_of_the_lines_supplier_come_first(self):
        from_supplier = self._purchase([(self.lamp, 5)]).picking_ids
        self._purchase([(self.lamp, 5)], vendor=self.vendor_other)
        rma = self._returned([(self.lamp, 1, 'refund', None)])
        self.assertEqual(rma.line_ids.supplier_id, self.vendor)
        self.assertEqual(self._return_to_vendor(rma).return_id, from_supplier)

    def test_part_of_the_goods_can_go_back_then_the_rest(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 3, 'replace', None)])
        self._return_to_vendor(rma, quantities={self.lamp: 1})
        self.assertEqual(rma.line_ids.qty_to_vendor, 1)
        self.assertTrue(rma.has_goods_for_vendor)
        self._return_to_vendor(rma)
        self.assertEqual(rma.line_ids.qty_to_vendor, 3)
        self.assertEqual(rma.vendor_picking_count, 2)

    def test_replaced_goods_still_go_back_once_the_replacement_left(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 1, 'replace', None)])
        rma.with_user(self.agent).action_replace()
        self._validate(rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing'))
        self.assertEqual(rma.state, 'done')
        self.assertTrue(rma.has_goods_for_vendor, "the replacement is another unit, from stock")
        self.assertEqual(self._return_to_vendor(rma).move_ids.product_uom_qty, 1)

    def test_a_dropped_backorder_frees_the_goods_again(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 2, 'refund', None)])
        vendor_return = self._return_to_vendor(rma)
        vendor_return.move_ids.quantity = 1
        vendor_return.move_ids.picked = True
        vendor_return.with_user(self.warehouse_user).with_context(
            skip_backorder=True, picking_ids_not_to_backorder=vendor_return.ids,
        ).button_validate()
        self.assertEqual(rma.line_ids.qty_to_vendor, 1)
        self.assertTrue(rma.has_goods_for_vendor)

    # Refusals

    def test_more_than_was_received_is_refused(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 2, 'refund', None)])
        with self.assertRaisesText(UserError, "at most 2.0 Units received"):
            rma.with_user(self.agent)._return_to_vendor({rma.line_ids: 3})
        self.assertFalse(rma.vendor_picking_ids)

    def test_goods_returned_as_they_are_or_scrapped_do_not_go_to_a_vendor(self):
        self._purchase([(self.lamp, 5), (self.shade, 5)])
        rma = self._returned([(self.lamp, 1, 'scrap', None), (self.shade, 1, 'return', None)])
        self.assertFalse(rma.has_goods_for_vendor)
        with self.assertRaisesText(UserError, "Nothing of"):
            rma.with_user(self.agent).action_return_to_vendor()
        for line in rma.line_ids:
            with self.assertRaisesText(UserError, "not to a vendor"):
                rma.with_user(self.agent)._return_to_vendor({line: 1})
        self.assertFalse(rma.vendor_picking_ids)

    def test_goods_without_a_purchase_receipt_are_refused_by_product(self):
        self._purchase([(self.shade, 5)])
        # Lamps came into stock by an inventory adjustment, not from a vendor.
        self.env['stock.quant']._update_available_quantity(self.lamp, self.stock_location, 5)
        rma = self._returned([(self.lamp, 1, 'refund', None)])
        with self.assertRaisesText(UserError, f"Reading Lamp on {rma.name}: no receipt from a vendor"):
            self._return_to_vendor(rma)
        self.assertFalse(rma.vendor_picking_ids)

    def test_a_serial_from_no_vendor_receipt_is_refused(self):
        self._purchase([(self.scanner, 1)], serials=self.scanner_serials[:1])
        other = self.scanner_serials[3:4]
        self.env['stock.quant']._update_available_quantity(self.scanner, self.stock_location, 1, lot_id=other)
        rma = self._returned([(self.scanner, 1, 'refund', other)])
        with self.assertRaisesText(UserError, "(BS-004)"):
            self._return_to_vendor(rma)

    def test_goods_already_sent_back_are_not_sent_twice(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 2, 'refund', None)])
        self._return_to_vendor(rma)
        with self.assertRaisesText(UserError, "Nothing of"):
            rma.with_user(self.agent).action_return_to_vendor()
        with self.assertRaisesText(UserError, "at most 0.0 Units"):
            rma.with_user(self.agent)._return_to_vendor({rma.line_ids: 1})
        self.assertEqual(len(rma.vendor_picking_ids), 1)

    def test_goods_not_received_yet_do_not_go_to_a_vendor(self):
        self._purchase([(self.lamp, 5)])
        order = self._deliver_order([(self.lamp, 2)])
        rma = self._create_rma(order, [(self.lamp, 2, 'refund', None)], team_id=self.team.id)
        rma.action_approve()
        with self.assertRaisesText(UserError, "cannot be sent back to a vendor"):
            rma.with_user(self.agent)._return_to_vendor({rma.line_ids: 1})

    def test_the_warehouse_cannot_send_more_than_the_return_kept(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 2, 'refund', None)])
        vendor_return = self._return_to_vendor(rma, quantities={self.lamp: 1})
        vendor_return.move_ids.quantity = 3
        vendor_return.move_ids.picked = True
        with self.assertRaisesText(UserError, "kept 2.0 Units"):
            vendor_return.with_user(self.warehouse_user).button_validate()

    def test_the_warehouse_cannot_send_another_serial(self):
        self._purchase([(self.scanner, 2)], serials=self.scanner_serials[:2])
        first, second = self.scanner_serials[:2]
        order = self._deliver_order([(self.scanner, 1)], serials=first)
        rma = self._returned([(self.scanner, 1, 'refund', first)], order=order)
        vendor_return = self._return_to_vendor(rma)
        vendor_return.move_ids.lot_ids = second
        vendor_return.move_ids.picked = True
        with self.assertRaisesText(UserError, "not BS-002"):
            vendor_return.with_user(self.warehouse_user).button_validate()

    def test_the_goods_of_another_return_are_refused(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 1, 'refund', None)])
        other = self._returned([(self.lamp, 1, 'refund', None)])
        with self.assertRaisesText(UserError, f"Only lines of {rma.name}"):
            rma.with_user(self.agent)._return_to_vendor({other.line_ids: 1})
        self.assertFalse(other.vendor_picking_ids)
