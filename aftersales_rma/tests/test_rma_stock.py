from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesRmaAccessCommon


@tagged('post_install', '-at_install')
class TestRmaReceipt(AftersalesRmaAccessCommon):
    """ST1, ST2, ST4: what the warehouse receives is what the return counts."""

    def setUp(self):
        super().setUp()
        self.order = self._deliver_order([(self.product_delivery, 5)])
        self.rma = self._create_rma(self.order, [(self.product_delivery, 3, 'refund', None)])
        self.rma.action_approve()
        self.receipt = self.rma.picking_ids

    def _validate_with_backorder(self, quantity, backorder=True):
        """Receive ``quantity`` of the receipt as the warehouse, keeping the rest
        on a backorder (or dropping it)."""
        receipt = self.receipt.with_user(self.warehouse_user)
        receipt.move_ids.quantity = quantity
        receipt.move_ids.picked = True
        wizard = Form.from_action(self.env, receipt.button_validate()).save()
        if backorder:
            wizard.with_user(self.warehouse_user).process()
        else:
            wizard.with_user(self.warehouse_user).process_cancel_backorder()
        return self.receipt.backorder_ids

    # ST1

    def test_receiving_more_than_authorised_is_blocked(self):
        self.receipt.move_ids.quantity = 4
        with self.assertRaisesText(UserError, "authorises 3"):
            self._receive(self.rma)
        self.assertNotEqual(self.receipt.state, 'done')
        self.assertEqual(self.rma.line_ids.qty_received, 0)
        self.assertEqual(self.order.order_line.qty_delivered, 5)

    # ST2

    def test_cancel_after_receipt_is_refused(self):
        self._receive(self.rma)
        with self.assertRaisesText(UserError, "cannot be cancelled"):
            self.rma.action_cancel()
        self.assertEqual(self.rma.state, 'received')

    def test_cancel_when_partly_received_is_refused(self):
        self._validate_with_backorder(1)
        self.assertEqual(self.rma.state, 'receiving')
        with self.assertRaisesText(UserError, "cannot be cancelled"):
            self.rma.action_cancel()
        self.assertEqual(self.rma.state, 'receiving')

    def test_cancel_before_receipt_cancels_the_receipt(self):
        self.rma.with_user(self.agent).action_cancel()
        self.assertEqual(self.rma.state, 'cancel')
        self.assertEqual(self.receipt.state, 'cancel')

    # ST4

    def test_backorder_keeps_the_return_and_counts_once(self):
        backorder = self._validate_with_backorder(1)
        self.assertEqual(backorder.aftersales_rma_id, self.rma)
        self.assertEqual(backorder.move_ids.aftersales_rma_line_id, self.rma.line_ids)
        line = self.rma.line_ids
        self.assertEqual((line.qty_received, line.qty_incoming), (1, 2))
        self._receive(self.rma)
        self.assertEqual((line.qty_received, line.qty_incoming), (3, 0))
        self.assertEqual(self.rma.state, 'received')
        self.assertEqual(self.order.order_line.qty_delivered, 2)

    def test_cancelled_backorder_leaves_return_received(self):
        backorder = self._validate_with_backorder(2)
        self.assertEqual(self.rma.state, 'receiving')
        backorder.with_user(self.warehouse_user).action_cancel()
        line = self.rma.line_ids
        self.assertEqual((line.qty_received, line.qty_incoming, line.qty_to_credit), (2, 0, 2))
        self.assertEqual(self.rma.state, 'received')

    def test_dropped_backorder_leaves_return_received(self):
        self._validate_with_backorder(2, backorder=False)
        self.assertFalse(self.receipt.backorder_ids)
        self.assertEqual(self.rma.line_ids.qty_received, 2)
        self.assertEqual(self.rma.state, 'received')

    def test_refund_after_dropped_backorder_credits_only_received(self):
        self._invoice(self.order)
        self._validate_with_backorder(2, backorder=False)
        self.rma.action_refund()
        self.assertEqual(self.rma.credit_note_ids.invoice_line_ids.quantity, 2)
        self.rma.credit_note_ids.action_post()
        self.assertEqual(self.rma.state, 'done')

    def test_dropped_backorder_frees_the_rest_of_an_invoice_for_another_return(self):
        invoice = self._post_invoice([(self.product_order, 3, 150.0, 0.0)])
        rma = self._create_invoice_rma(invoice, [(self.product_order, 3, 'refund', None)])
        rma.action_approve()
        self.receipt = rma.picking_ids
        self._validate_with_backorder(2, backorder=False)
        rma.action_refund()
        rma.credit_note_ids.action_post()
        self.assertEqual(rma.state, 'done')
        other = self._create_invoice_rma(invoice, [(self.product_order, 1, 'refund', None)])
        other.action_approve()
        self.assertEqual(other.state, 'approved')

    def test_cancelled_receipt_leaves_return_approved(self):
        self.receipt.with_user(self.warehouse_user).action_cancel()
        self.assertEqual(self.rma.line_ids.qty_incoming, 0)
        self.assertEqual(self.rma.state, 'approved')
        self.rma.action_cancel()
        self.assertEqual(self.rma.state, 'cancel')

    def test_done_receipt_validated_again_counts_once(self):
        self._receive(self.rma)
        self.receipt.with_user(self.warehouse_user).button_validate()
        self.assertEqual(self.rma.line_ids.qty_received, 3)
        self.assertEqual(self.order.order_line.qty_delivered, 2)


@tagged('post_install', '-at_install')
class TestRmaSerials(AftersalesRmaAccessCommon):
    """ST3: the serial that comes back is the one delivered to this customer."""

    def setUp(self):
        super().setUp()
        self.order = self._deliver_order([(self.product_serial, 3)], serials=self.serials[:3])

    def test_receiving_another_serial_than_the_line_is_blocked(self):
        rma = self._create_rma(self.order, [(self.product_serial, 1, 'refund', self.serials[1])])
        rma.action_approve()
        move_line = rma.picking_ids.move_ids.move_line_ids
        self.assertEqual(move_line.lot_id, self.serials[1])
        move_line.lot_id = self.serials[0]
        with self.assertRaisesText(UserError, "expects serial/lot LP-002"):
            self._receive(rma)
        self.assertEqual(rma.line_ids.qty_received, 0)

    def test_serial_delivered_to_another_customer_is_refused_at_approval(self):
        self._deliver_order([(self.product_serial, 1)], serials=self.serials[3], partner=self.partner_b)
        rma = self._create_rma(self.order, [(self.product_serial, 1, 'refund', self.serials[3])])
        with self.assertRaisesText(ValidationError, "LP-004 was never delivered to partner_a"):
            rma.action_approve()
        self.assertEqual(rma.state, 'draft')
        self.assertFalse(rma.picking_ids)

    def test_serial_already_returned_is_refused_at_approval(self):
        first = self._received_rma(self.order, [(self.product_serial, 1, 'refund', self.serials[0])])
        self.assertEqual(first.state, 'received')
        second = self._create_rma(self.order, [(self.product_serial, 1, 'refund', self.serials[0])])
        with self.assertRaisesText(ValidationError, "LP-001 was never delivered"):
            second.action_approve()

    def test_invoice_only_return_of_serial_never_delivered_is_refused(self):
        invoice = self._post_invoice([(self.product_serial, 1, 200.0, 0.0)])
        rma = self._create_invoice_rma(invoice, [(self.product_serial, 1, 'refund', self.serials[4])])
        with self.assertRaisesText(ValidationError, "LP-005 was never delivered"):
            rma.action_approve()
        self.assertEqual(rma.state, 'draft')

    def test_invoice_only_return_of_serial_delivered_to_customer_is_approved(self):
        invoice = self._post_invoice([(self.product_serial, 1, 200.0, 0.0)])
        rma = self._create_invoice_rma(invoice, [(self.product_serial, 1, 'refund', self.serials[2])])
        rma.action_approve()
        self.assertEqual(rma.state, 'approved')
        self.assertEqual(rma.picking_ids.move_ids.lot_ids, self.serials[2])
