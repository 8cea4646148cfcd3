from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesRmaAccessCommon


@tagged('post_install', '-at_install')
class TestRmaSettlement(AftersalesRmaAccessCommon):
    """Each unit that comes back is settled once: credited, replaced, sent
    back, scrapped or repaired, one way only, and what approval fixed stays."""

    def _agent_rma(self, order, lines, **values):
        """A return of ``order`` of the own-team agent's team, and the same
        return as that agent handles it."""
        rma = self._create_rma(order, lines, team_id=self.team.id, **values)
        return rma, rma.with_user(self.agent)

    def _replaced(self, rma, serial=None):
        """Deliver the replacements of ``rma`` (the warehouse validates)."""
        rma.with_user(self.agent).action_replace()
        delivery = rma.picking_ids.filtered(
            lambda p: p.picking_type_code == 'outgoing' and p.state not in ('done', 'cancel')
        )
        for move in delivery.move_ids:
            if serial:
                move.lot_ids = serial
            else:
                move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        delivery.with_user(self.warehouse_user).button_validate()
        return delivery

    # One resolution per unit

    def test_resolution_cannot_change_once_a_draft_credit_note_exists(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'refund', None)])
        agent.action_approve()
        self._receive(rma)
        agent.action_refund()
        self.assertEqual(rma.line_ids.qty_credit_draft, 2)
        self.assertTrue(rma.line_ids.is_resolution_locked)
        with self.assertRaisesRegex(UserError, "already being settled as Refund"):
            agent.line_ids.resolution = 'replace'
        self.assertEqual(rma.line_ids.resolution, 'refund')
        with self.assertRaisesRegex(UserError, "Nothing waits"):
            agent.action_replace()
        self.assertFalse(rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing'))

    def test_resolution_cannot_change_once_a_replacement_is_on_its_way(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'replace', None)])
        agent.action_approve()
        self._receive(rma)
        agent.action_replace()
        self.assertEqual(rma.line_ids.qty_outgoing, 2)
        with self.assertRaisesRegex(UserError, "already being settled as Replace"):
            agent.line_ids.resolution = 'refund'
        with self.assertRaisesRegex(UserError, "Nothing to credit"):
            agent.action_refund()
        with self.assertRaisesRegex(UserError, "already on its way"):
            agent.line_ids.replacement_product_id = self.product_order

    def test_resolution_cannot_change_once_scrapped(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma, agent = self._agent_rma(order, [(self.product_delivery, 1, 'scrap', None)])
        agent.action_approve()
        self._receive(rma)
        agent.action_scrap()
        self.assertEqual(rma.state, 'done')
        with self.assertRaisesRegex(UserError, "already being settled as Scrap"):
            agent.line_ids.resolution = 'return'

    def test_resolution_may_change_while_nothing_is_settled(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'replace', None)])
        agent.action_approve()
        self._receive(rma)
        agent.line_ids.resolution = 'return'
        agent.action_return_goods()
        self.assertEqual(rma.line_ids.qty_outgoing, 2)

    def test_replaced_then_switched_to_refund_before_delivery_is_really_credited(self):
        # Invoiced on delivered quantities and fully invoiced: the receipt of a
        # replacement leaves the order's delivered quantity as it was; once
        # the line is a refund, the receipt lowers it and the order's own
        # invoicing credits the units. They are never "not invoiced".
        order = self._deliver_order([(self.product_delivery, 5)])
        invoice = self._invoice(order)
        sale_line = order.order_line
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'replace', None)])
        agent.action_approve()
        self._receive(rma)
        self.assertEqual((sale_line.qty_delivered, sale_line.qty_to_invoice), (5, 0))

        agent.line_ids.resolution = 'refund'
        self.assertTrue(all(rma.picking_ids.move_ids.mapped('to_refund')))
        self.assertEqual((sale_line.qty_delivered, sale_line.qty_to_invoice), (3, -2))
        agent.action_refund()
        line = rma.line_ids
        self.assertEqual((line.qty_credit_draft, line.qty_uninvoiced), (2, 0))
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(rma.state, 'done')
        self.assertEqual((sale_line.qty_invoiced, sale_line.qty_to_invoice), (3, 0))

    def test_refunded_then_switched_to_replace_leaves_the_order_delivered(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        sale_line = order.order_line
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'refund', None)])
        agent.action_approve()
        self._receive(rma)
        self.assertEqual(sale_line.qty_to_invoice, -2)
        agent.line_ids.resolution = 'replace'
        self.assertEqual((sale_line.qty_delivered, sale_line.qty_to_invoice), (5, 0))
        self._replaced(rma)
        self.assertEqual(rma.state, 'done')
        self.assertFalse(rma.credit_note_ids)

    def test_returned_unit_is_not_settled_by_a_note_alone(self):
        # Repairs are counted by the repairs module: without it, a unit to
        # repair is received, not settled.
        order = self._deliver_order([(self.product_delivery, 5)])
        rma, agent = self._agent_rma(order, [(self.product_delivery, 1, 'repair', None)])
        agent.action_approve()
        self._receive(rma)
        self.assertEqual(rma.state, 'received')
        self.assertFalse(rma.line_ids._is_settled())

    # What approval fixes

    def test_approved_line_keeps_its_goods_quantity_and_origin(self):
        order = self._deliver_order([(self.product_delivery, 5), (self.product_order, 2)])
        invoice = self._invoice(order)
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'refund', None)])
        agent.action_approve()
        line = rma.line_ids
        other_order = self._deliver_order([(self.product_delivery, 3)])
        for vals in ({'product_uom_qty': 5}, {'product_id': self.product_order.id},
                     {'sale_line_id': other_order.order_line.id},
                     {'invoice_line_id': invoice.invoice_line_ids[1].id},
                     {'product_uom_id': self.env.ref('uom.product_uom_dozen').id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "was approved"):
                line.write(vals)
        self.assertRecordValues(line, [{'product_uom_qty': 2, 'sale_line_id': order.order_line[0].id}])
        line.write({'product_uom_qty': 2, 'note': "Box opened"})  # unchanged values pass

    def test_approved_return_takes_no_new_line_and_keeps_its_lines(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'refund', None)])
        agent.action_approve()
        with self.assertRaisesRegex(UserError, "draft returns only"):
            agent.write({'line_ids': [Command.create({
                'product_id': self.product_delivery.id, 'product_uom_qty': 1,
                'sale_line_id': order.order_line.id,
            })]})
        with self.assertRaisesRegex(UserError, "the line is kept"):
            agent.line_ids.unlink()
        self.assertEqual(len(rma.line_ids), 1)

    def test_line_with_credit_lines_cannot_be_deleted_even_once_cancelled(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)])
        rma.action_approve()
        rma.action_cancel()
        with self.assertRaisesRegex(UserError, "the line is kept"):
            rma.line_ids.unlink()

    def test_draft_line_can_still_change_and_be_deleted(self):
        order = self._deliver_order([(self.product_delivery, 5), (self.product_order, 2)])
        rma, agent = self._agent_rma(order, [(self.product_delivery, 2, 'refund', None)])
        agent.line_ids.product_uom_qty = 3
        agent.write({'line_ids': [Command.create({
            'product_id': self.product_order.id, 'product_uom_qty': 1,
            'sale_line_id': order.order_line[1].id,
        })]})
        agent.line_ids[0].unlink()
        self.assertEqual(rma.line_ids.product_id, self.product_order)

    def test_lot_changed_after_approval_is_checked_against_deliveries(self):
        order = self._deliver_order([(self.product_serial, 2)], serials=self.serials[:2])
        rma = self._create_rma(order, [(self.product_serial, 1, 'refund', self.serials[0])])
        rma.action_approve()
        line = rma.line_ids
        with self.assertRaisesRegex(ValidationError, "never delivered"):
            line.lot_id = self.serials[4]
        line.lot_id = self.serials[1]
        receipt_move = rma.picking_ids.move_ids
        self.assertEqual(receipt_move.move_line_ids.lot_id, self.serials[1], "the receipt expects it")
        self._receive(rma)
        with self.assertRaisesRegex(UserError, "received with its serial"):
            line.lot_id = self.serials[0]

    def test_serial_on_two_returns_is_refused_at_the_second_approval(self):
        order = self._deliver_order([(self.product_serial, 2)], serials=self.serials[:2])
        first = self._create_rma(order, [(self.product_serial, 1, 'refund', self.serials[0])])
        first.action_approve()
        second = self._create_return(self.customer, [(self.product_serial, 1, 'refund', self.serials[0])],
                                     lambda product: {})
        with self.assertRaisesRegex(UserError, "already on its way back"):
            second.action_approve()
        self.assertEqual(second.state, 'draft')

    # Orders and invoices count each other's returns

    def test_invoice_line_of_an_order_goes_through_its_order_line(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        invoice = self._invoice(order)
        by_invoice = self._create_invoice_rma(invoice, [(self.product_delivery, 2, 'refund', None)])
        self.assertEqual(by_invoice.line_ids.sale_line_id, order.order_line)

    def test_units_returned_by_order_cannot_come_back_again_by_invoice(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        invoice = self._invoice(order)
        by_order = self._create_rma(order, [(self.product_delivery, 5, 'refund', None)])
        by_order.action_approve()
        # assertRaises, not assertRaisesRegex: only it rolls back what failed.
        with self.assertRaises(ValidationError) as caught:
            self._create_invoice_rma(invoice, [(self.product_delivery, 5, 'refund', None)])
        self.assertIn("at most 0", str(caught.exception))
        lines = self.env['aftersales.rma.line'].search([('sale_line_id', '=', order.order_line.id)])
        self.assertEqual(lines.rma_id, by_order)

    def test_invoice_line_named_with_another_order_line_is_refused(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        invoice = self._invoice(order)
        other = self._deliver_order([(self.product_delivery, 5)])
        with self.assertRaisesRegex(ValidationError, "against that order's line"):
            self._create_return(self.customer, [(self.product_delivery, 1, 'refund', None)], lambda p: {
                'invoice_line_id': invoice.invoice_line_ids.id, 'sale_line_id': other.order_line.id,
            })

    # Moves counted by a return line

    def test_another_customers_receipt_cannot_count_for_a_return(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'refund', None)])
        rma.action_approve()
        stranger = self.env['res.partner'].create({'name': "Someone Else"})
        stranger_order = self._deliver_order([(self.product_delivery, 4)], partner=stranger)
        their_delivery = stranger_order.picking_ids.move_ids
        other_product = self._deliver_order([(self.product_order, 4)]).picking_ids.move_ids
        for move in (their_delivery, other_product):
            with self.subTest(move=move.reference), self.assertRaises(ValidationError) as caught:
                move.with_user(self.warehouse_user).aftersales_rma_line_id = rma.line_ids
            self.assertIn("cannot count for return", str(caught.exception))
        self.assertEqual(rma.line_ids.move_ids, rma.picking_ids.move_ids)

    # Returns of replacements

    def test_replacement_cannot_be_returned_twice(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'replace', None)])
        rma.action_approve()
        self._receive(rma)
        self._replaced(rma)
        first = self.env['aftersales.rma'].browse(rma.action_return_replacement()['res_id'])
        self.assertEqual(first.line_ids.product_uom_qty, 2)
        with self.assertRaisesRegex(UserError, "delivered no replacement"):
            rma.action_return_replacement()
        first.line_ids.product_uom_qty = 1
        second = self.env['aftersales.rma'].browse(rma.action_return_replacement()['res_id'])
        self.assertEqual(second.line_ids.product_uom_qty, 1, "only what is not asked back yet")

    def test_return_of_replacement_asking_more_than_delivered_is_refused_at_approval(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'replace', None)])
        rma.action_approve()
        self._receive(rma)
        self._replaced(rma)
        first = self.env['aftersales.rma'].browse(rma.action_return_replacement()['res_id'])
        first.action_approve()
        forged = self._create_return(self.customer, [(self.product_delivery, 1, 'replace', None)],
                                     lambda p: {}, origin_rma_id=rma.id)
        with self.assertRaisesRegex(UserError, "not asked back yet"):
            forged.action_approve()

    def test_return_of_another_customers_return_is_refused(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'replace', None)])
        stranger = self.env['res.partner'].create({'name': "Someone Else"})
        with self.assertRaisesRegex(ValidationError, "belongs to another customer"):
            self._create_return(stranger, [(self.product_delivery, 1, 'replace', None)],
                                lambda p: {}, origin_rma_id=rma.id)

    def test_two_serials_of_one_order_line_are_received_each_on_its_line(self):
        order = self._deliver_order([(self.product_serial, 3)], serials=self.serials[:3])
        rma = self._create_rma(order, [(self.product_serial, 1, 'refund', self.serials[0]),
                                       (self.product_serial, 1, 'refund', self.serials[2])])
        rma.action_approve()
        first, second = rma.line_ids
        self.assertEqual(len(first.move_ids), 1)
        self.assertEqual(len(second.move_ids), 1, "not merged into the first line's move")
        self._receive(rma)
        self.assertEqual((first.qty_received, second.qty_received), (1, 1))
        self.assertEqual(rma.state, 'received')
