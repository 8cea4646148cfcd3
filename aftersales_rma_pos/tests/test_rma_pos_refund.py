from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaPosCommon


@tagged('post_install', '-at_install')
class TestRmaPosRefund(AftersalesRmaPosCommon):
    """Crediting goods sold at the till: core's refund order, paid at the till."""

    def _credit(self, rma, user=None):
        rma.with_user(user or self.pos_agent).action_refund()
        return rma.sudo().pos_refund_order_ids

    def test_credit_makes_refund_order_of_received_quantities_only(self):
        order = self._sell([(self.product_delivery, 3), (self.product_order, 1)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)],
                                        team_id=self.team.id)
        refund = self._credit(rma)
        self.assertEqual(len(refund), 1)
        self.assertTrue(refund.is_refund)
        self.assertEqual(refund.state, 'draft')
        self.assertEqual(refund.aftersales_rma_id, rma)
        self.assertRecordValues(refund.lines, [{
            'product_id': self.product_delivery.id, 'qty': -2.0,
            'refunded_orderline_id': order.lines[0].id, 'aftersales_rma_line_id': rma.line_ids.id,
        }])
        self.assertAlmostEqual(refund.amount_total, order.lines[0].price_subtotal_incl * -2 / 3)

    def test_unpaid_refund_order_is_a_draft_credit_that_fixes_the_resolution(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        self._credit(rma)
        line = rma.line_ids
        self.assertEqual((line.qty_credit_draft, line.qty_credited, line.qty_to_credit), (2.0, 0.0, 0.0))
        self.assertFalse(rma.is_pending_credit)
        with self.assertRaisesText(UserError, "can no longer change"):
            line.with_user(self.agent).resolution = 'replace'

    def test_paid_refund_order_settles_the_return(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        refund = self._credit(rma)
        self._pay_at_till(refund)
        self.assertEqual(refund.state, 'paid')
        self.assertEqual((rma.line_ids.qty_credited, rma.line_ids.qty_credit_draft), (2.0, 0.0))
        self.assertEqual(rma.state, 'done')
        self.assertEqual(order.lines.refunded_qty, 2.0)

    def test_cancelled_refund_order_leaves_the_goods_to_credit(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        refund = self._credit(rma)
        refund.with_user(self.cashier).action_pos_order_cancel()
        self.assertEqual(rma.line_ids.qty_to_credit, 2.0)
        self.assertTrue(rma.is_pending_credit)
        second = self._credit(rma) - refund
        self.assertEqual(second.lines.qty, -2.0)

    def test_credit_of_an_invoiced_receipt_is_the_refund_orders_credit_note(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer, to_invoice=True)
        invoice = order.account_move
        self.assertTrue(invoice)
        rma = self._received_pos_return(order, [(self.product_delivery, 1, 'refund', None)])
        refund = self._credit(rma)
        self.assertTrue(refund.to_invoice)
        self._pay_at_till(refund)
        credit_note = refund.account_move
        self.assertRecordValues(credit_note, [{
            'move_type': 'out_refund', 'state': 'posted', 'reversed_entry_id': invoice.id,
        }])
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1.0)
        self.assertEqual(rma.credit_note_ids, credit_note)
        self.assertEqual(rma.state, 'done')

    def test_serials_are_refunded_on_a_line_each(self):
        serials = self.serials[:3]
        order = self._sell([(self.product_serial, 3, serials.mapped('name'))], partner=self.customer)
        rma = self._received_pos_return(order, [
            (self.product_serial, 1, 'refund', serials[0]), (self.product_serial, 1, 'refund', serials[2]),
        ])
        refund = self._credit(rma)
        self.assertEqual(len(refund.lines), 2)
        for line in rma.line_ids:
            refund_line = refund.lines.filtered(lambda rl, line=line: rl.aftersales_rma_line_id == line)
            self.assertEqual(refund_line.qty, -1.0)
            self.assertEqual(refund_line.pack_lot_ids.mapped('lot_name'), [line.lot_id.name])
        self.assertEqual(order.lines.pack_lot_ids.mapped('lot_name'), serials.mapped('name'))
        self.assertEqual(order.lines.refunded_qty, 2.0)

    def test_refund_order_changed_at_the_till_refunds_no_more_than_received(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        refund = self._credit(rma)
        refund.lines.qty = -3
        refund.lines._onchange_amount_line_all()
        refund._compute_prices()
        with self.assertRaisesText(UserError, "received 2.0 Units; its refund order refunds no more"):
            self._pay_at_till(refund)
        self.assertEqual(refund.state, 'draft')

    def test_goods_on_a_return_are_not_refunded_at_the_till(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        with self.assertRaisesText(UserError, "returns hold 2.0"):
            self._refund_at_till(order, {self.product_delivery: 2})
        refund = self._refund_at_till(order, {self.product_delivery: 1})
        self.assertEqual(refund.state, 'paid')

    def test_approval_counts_a_refund_made_at_the_till_meanwhile(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        self._refund_at_till(order, {self.product_delivery: 2})
        with self.assertRaisesText(UserError, "at most 1.0"):
            rma.action_approve()

    def test_credit_counts_a_refund_waiting_at_the_till(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        # Core's Return Products proposes every unit left, as a draft the till pays later.
        self.env['pos.order'].browse(order.refund()['res_id'])
        with self.assertRaisesText(UserError, "only 0.0 Units of"):
            rma.with_user(self.pos_agent).action_refund()
        self.assertFalse(rma.sudo().pos_refund_order_ids)
        self.assertEqual(rma.line_ids.qty_to_credit, 2.0)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_agent_without_point_of_sale_rights_makes_no_refund_order(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)],
                                        team_id=self.team.id)
        with self.assertRaisesText(AccessError, "only point of sale users"):
            rma.with_user(self.agent).action_refund()
        self.assertFalse(rma.sudo().pos_refund_order_ids)
        self.assertEqual(rma.line_ids.qty_to_credit, 2.0)

    def test_refund_order_needs_an_open_session(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        rma = self._received_pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        self.session.action_pos_session_closing_control()
        with self.assertRaisesText(UserError, "open a session"):
            rma.with_user(self.pos_agent).action_refund()
        self.assertEqual(rma.line_ids.qty_to_credit, 2.0)
