from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRmaPurchaseCommon


@tagged('post_install', '-at_install')
class TestVendorCredit(AftersalesRmaPurchaseCommon):
    """What went back to the vendor is credited by the purchase order's own
    invoicing, for the returned lines only, once."""

    def _sent_back(self, lines, **purchase_values):
        """A purchase of lamps and shades, a return of ``lines`` and its goods
        gone back to the vendor: ``(purchase order, return)``."""
        purchase = self._purchase([(self.lamp, 5), (self.shade, 5)], **purchase_values)
        rma = self._returned(lines)
        self._validate(self._return_to_vendor(rma))
        return purchase, rma

    def test_credit_note_credits_the_returned_lines_at_the_order_price(self):
        purchase, rma = self._sent_back([(self.lamp, 2, 'refund', None)])
        lamp_line = self._order_line(purchase, self.lamp)
        self.assertEqual(lamp_line.qty_to_invoice, -2)

        action = rma.with_user(self.purchase_user).action_vendor_credit()
        credit_note = rma.vendor_credit_note_ids
        self.assertEqual(action['res_id'], credit_note.id)
        self.assertRecordValues(credit_note, [{
            'move_type': 'in_refund', 'state': 'draft', 'partner_id': self.vendor.id,
            'invoice_origin': purchase.name, 'aftersales_vendor_rma_id': rma.id,
        }])
        self.assertRecordValues(credit_note.invoice_line_ids, [{
            'product_id': self.lamp.id, 'quantity': 2, 'price_unit': 40.0,
            'purchase_line_id': lamp_line.id,
        }])
        self.assertEqual((lamp_line.qty_invoiced, lamp_line.qty_to_invoice), (3, 0))
        self.assertEqual(self._order_line(purchase, self.shade).qty_invoiced, 5)
        self.assertEqual(rma.vendor_credit_note_count, 1)
        self.assertEqual(credit_note.action_view_aftersales_vendor_rma()['res_id'], rma.id)
        self.assertEqual(rma.line_ids.qty_credited, 0, "the customer's credit is another matter")

    def test_other_lines_the_order_still_bills_stay_out(self):
        purchase = self._purchase([(self.lamp, 5)])
        # More shades arrive on the same order, not billed yet: worth more than
        # the lamp, so that billing the whole order would make a bill, not a refund.
        purchase.order_line = [(0, 0, {'product_id': self.shade.id, 'product_qty': 10})]
        new_receipt = purchase.picking_ids.filtered(lambda p: p.state == 'assigned')
        self._validate(new_receipt, user=self.env.user)
        self.assertEqual(self._order_line(purchase, self.shade).qty_to_invoice, 10)
        rma = self._returned([(self.lamp, 1, 'refund', None)])
        self._validate(self._return_to_vendor(rma))

        rma.with_user(self.accountant).action_vendor_credit()
        self.assertEqual(rma.vendor_credit_note_ids.move_type, 'in_refund')
        self.assertEqual(rma.vendor_credit_note_ids.invoice_line_ids.product_id, self.lamp)
        self.assertEqual(self._order_line(purchase, self.shade).qty_to_invoice, 10)

    def test_a_second_credit_finds_nothing_to_credit(self):
        _purchase, rma = self._sent_back([(self.lamp, 2, 'refund', None)])
        rma.with_user(self.purchase_user).action_vendor_credit()
        with self.assertRaisesText(UserError, f"Nothing to credit on {rma.name}"):
            rma.with_user(self.purchase_user).action_vendor_credit()
        self.assertEqual(len(rma.vendor_credit_note_ids), 1)

    def test_a_deleted_draft_credit_note_can_be_made_again(self):
        _purchase, rma = self._sent_back([(self.lamp, 2, 'refund', None)])
        rma.with_user(self.purchase_user).action_vendor_credit()
        rma.vendor_credit_note_ids.unlink()
        rma.with_user(self.purchase_user).action_vendor_credit()
        self.assertEqual(rma.vendor_credit_note_ids.invoice_line_ids.quantity, 2)

    def test_goods_never_billed_are_not_credited(self):
        purchase, rma = self._sent_back([(self.lamp, 2, 'refund', None)], bill=False)
        lamp_line = self._order_line(purchase, self.lamp)
        self.assertEqual(lamp_line.qty_to_invoice, 3, "the order bills less instead")
        with self.assertRaisesText(UserError, "never billed"):
            rma.with_user(self.purchase_user).action_vendor_credit()
        self.assertFalse(purchase.invoice_ids)

    def test_goods_on_their_way_are_not_credited_yet(self):
        self._purchase([(self.lamp, 5)])
        rma = self._returned([(self.lamp, 2, 'refund', None)])
        vendor_return = self._return_to_vendor(rma)
        with self.assertRaisesText(UserError, "have not left yet"):
            rma.with_user(self.purchase_user).action_vendor_credit()
        self._validate(vendor_return)
        rma.with_user(self.purchase_user).action_vendor_credit()
        self.assertEqual(rma.vendor_credit_note_ids.invoice_line_ids.quantity, 2)

    def test_each_return_credits_its_own_goods(self):
        purchase = self._purchase([(self.lamp, 5)])
        first = self._returned([(self.lamp, 1, 'refund', None)])
        second = self._returned([(self.lamp, 2, 'repair', None)])
        self._validate(self._return_to_vendor(first) | self._return_to_vendor(second))
        self.assertEqual(self._order_line(purchase, self.lamp).qty_to_invoice, -3)

        first.with_user(self.purchase_user).action_vendor_credit()
        self.assertEqual(first.vendor_credit_note_ids.invoice_line_ids.quantity, 1)
        second.with_user(self.purchase_user).action_vendor_credit()
        self.assertEqual(second.vendor_credit_note_ids.invoice_line_ids.quantity, 2)
        self.assertEqual(self._order_line(purchase, self.lamp).qty_to_invoice, 0)

    def test_a_credit_made_on_the_order_first_is_not_made_again(self):
        purchase, rma = self._sent_back([(self.lamp, 2, 'refund', None)])
        purchase.action_create_invoice()
        self.assertEqual(self._order_line(purchase, self.lamp).qty_to_invoice, 0)
        with self.assertRaisesText(UserError, "Nothing to credit"):
            rma.with_user(self.purchase_user).action_vendor_credit()

    def test_serial_goods_are_credited(self):
        purchase = self._purchase([(self.scanner, 2)], serials=self.scanner_serials[:2])
        serial = self.scanner_serials[1]
        rma = self._returned([(self.scanner, 1, 'replace', serial)])
        self._validate(self._return_to_vendor(rma))
        rma.with_user(self.purchase_user).action_vendor_credit()
        self.assertRecordValues(rma.vendor_credit_note_ids.invoice_line_ids, [{
            'product_id': self.scanner.id, 'quantity': 1, 'price_unit': 90.0,
            'purchase_line_id': self._order_line(purchase, self.scanner).id,
        }])
