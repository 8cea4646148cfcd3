from odoo.tests import tagged

from .common import AftersalesRmaPosCommon


@tagged('post_install', '-at_install')
class TestRmaPosStock(AftersalesRmaPosCommon):
    """Goods sold at the till come back once: on the return's receipt, never
    again with the refund order that credits them."""

    def _credit_and_pay(self, rma):
        rma.with_user(self.pos_agent).action_refund()
        refund = rma.sudo().pos_refund_order_ids
        self._pay_at_till(refund)
        self.assertEqual(refund.state, 'paid')
        return refund

    def test_receipt_is_a_return_of_the_till_delivery(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        delivery = order.picking_ids
        rma = self._pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        rma.action_approve()
        receipt = rma.picking_ids
        self.assertRecordValues(receipt, [{
            'picking_type_id': self.warehouse.in_type_id.id, 'return_id': delivery.id,
            'pos_order_id': False, 'pos_session_id': False,
        }])
        self.assertEqual(receipt.move_ids.origin_returned_move_id, delivery.move_ids)
        self.assertEqual(receipt.move_ids.product_uom_qty, 2.0)
        self.assertEqual(order.picking_ids, delivery)

    def test_stock_goes_up_once_when_the_refund_order_is_paid(self):
        start = self._on_hand(self.product_delivery)
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        self.assertEqual(self._on_hand(self.product_delivery), start - 3)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        self.assertEqual(self._on_hand(self.product_delivery), start - 1)
        refund = self._credit_and_pay(rma)
        self.assertFalse(refund.picking_ids)
        self.assertEqual(self._on_hand(self.product_delivery), start - 1)
        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, 'closed')
        self.assertEqual(self._on_hand(self.product_delivery), start - 1)

    def test_stock_goes_up_once_when_the_session_moves_the_stock_at_closing(self):
        self.session.update_stock_at_closing = True
        start = self._on_hand(self.product_delivery)
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        self.assertFalse(order.picking_ids)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        self.assertEqual(rma.picking_ids.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(self._on_hand(self.product_delivery), start + 2)
        self._credit_and_pay(rma)
        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, 'closed')
        self.assertEqual(self.session.picking_ids.move_ids.product_uom_qty, 3.0)
        self.assertEqual(self._on_hand(self.product_delivery), start - 1)

    def test_refund_made_at_the_till_still_brings_its_goods_back(self):
        start = self._on_hand(self.product_delivery)
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        refund = self._refund_at_till(order, {self.product_delivery: 1})
        self.assertEqual(refund.picking_ids.move_ids.quantity, 1.0)
        self.assertEqual(self._on_hand(self.product_delivery), start - 2)
