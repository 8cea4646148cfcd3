from odoo.tests import tagged

from .common import AftersalesRmaCommon


@tagged('post_install', '-at_install')
class TestRmaFlow(AftersalesRmaCommon):

    def test_return_of_part_of_two_lines_to_credit_note(self):
        order = self._deliver_order([(self.product_delivery, 5), (self.product_serial, 3)])
        invoice = self._invoice(order)
        lamp_line, printer_line = order.order_line
        self.assertEqual(invoice.amount_total, (5 * 100 + 3 * 200) * 1.15)

        rma = self._create_rma(order, [
            (self.product_delivery, 2, 'refund', None),
            (self.product_serial, 1, 'refund', self.serials[1]),
        ])
        rma.action_approve()
        self.assertEqual(rma.state, 'approved')
        receipt = rma.picking_ids
        self.assertEqual(len(receipt), 1, "one receipt for the one original delivery")
        self.assertEqual(receipt.picking_type_code, 'incoming')
        self.assertEqual(receipt.return_id, order.picking_ids.filtered(lambda p: p != receipt))
        self.assertTrue(all(receipt.move_ids.mapped('to_refund')))
        self.assertEqual(
            receipt.move_ids.filtered(lambda m: m.product_id == self.product_serial).move_line_ids.lot_id,
            self.serials[1], "the serial to return is pre-filled",
        )
        # Nothing moves on the order before the goods arrive.
        self.assertEqual((lamp_line.qty_delivered, printer_line.qty_delivered), (5, 3))

        self._receive(rma)
        self.assertEqual(rma.state, 'received')
        self.assertEqual((lamp_line.qty_delivered, printer_line.qty_delivered), (3, 2))
        self.assertEqual((lamp_line.qty_to_invoice, printer_line.qty_to_invoice), (-2, -1))
        self.assertTrue(rma.is_pending_credit)

        rma.action_refund()
        credit_note = rma.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, 'out_refund')
        self.assertEqual(credit_note.state, 'draft', "accounting posts it")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertRecordValues(credit_note.invoice_line_ids.sorted('price_unit'), [
            {'product_id': self.product_delivery.id, 'quantity': 2, 'price_unit': 100.0,
             'tax_ids': self.tax.ids, 'aftersales_rma_line_id': rma.line_ids[0].id},
            {'product_id': self.product_serial.id, 'quantity': 1, 'price_unit': 200.0,
             'tax_ids': self.tax.ids, 'aftersales_rma_line_id': rma.line_ids[1].id},
        ])
        self.assertAlmostEqual(credit_note.amount_untaxed, 400.0)
        self.assertAlmostEqual(credit_note.amount_tax, 60.0)
        self.assertEqual(rma.line_ids.mapped('qty_credit_draft'), [2, 1])
        self.assertFalse(rma.is_pending_credit)

        credit_note.action_post()
        self.assertEqual(rma.line_ids.mapped('qty_credited'), [2, 1])
        self.assertEqual(rma.state, 'done')
        self.assertEqual((lamp_line.qty_invoiced, printer_line.qty_invoiced), (3, 2))
        self.assertEqual((lamp_line.qty_to_invoice, printer_line.qty_to_invoice), (0, 0))

    def test_order_policy_product_is_credited_by_reversal(self):
        order = self._deliver_order([(self.product_order, 4), (self.product_delivery, 1)])
        invoice = self._invoice(order)
        rma = self._create_rma(order, [(self.product_order, 3, 'refund', None)])
        rma.action_approve()
        self._receive(rma)
        rma.action_refund()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertRecordValues(credit_note.invoice_line_ids, [
            {'product_id': self.product_order.id, 'quantity': 3, 'price_unit': 150.0,
             'tax_ids': self.tax.ids},
        ])
        self.assertEqual(credit_note.currency_id, invoice.currency_id)
        self.assertEqual(credit_note.invoice_payment_term_id, invoice.invoice_payment_term_id)
        self.assertAlmostEqual(credit_note.amount_total, 3 * 150 * 1.15)

    def test_returned_but_never_invoiced_lowers_what_the_order_invoices(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'refund', None)])
        rma.action_approve()
        self._receive(rma)
        self.assertEqual(order.order_line.qty_to_invoice, 3)
        rma.action_refund()
        self.assertFalse(rma.credit_note_ids, "no money back for goods never billed")
        self.assertEqual(rma.line_ids.qty_uninvoiced, 2)
        self.assertEqual(rma.state, 'done')

    def test_replacement_does_not_touch_the_order(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        rma = self._create_rma(order, [(self.product_delivery, 1, 'replace', None)])
        rma.action_approve()
        self.assertFalse(rma.picking_ids.move_ids.to_refund)
        self._receive(rma)
        line = order.order_line
        self.assertEqual((line.qty_delivered, line.qty_to_invoice), (5, 0))
        rma.action_replace()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        self.assertFalse(delivery.sale_id)
        delivery.move_ids.quantity = 1
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(len(order.order_line), 1, "no order line added")
        self.assertEqual((line.qty_delivered, line.qty_to_invoice), (5, 0))
        self.assertEqual(rma.line_ids.qty_delivered, 1)
        self.assertEqual(rma.state, 'done')

    def test_a_broken_replacement_is_returned_on_a_return_of_the_return(self):
        order = self._deliver_order([(self.product_serial, 1)], serials=self.serials[0])
        rma = self._create_rma(order, [(self.product_serial, 1, 'replace', self.serials[0])])
        rma.action_approve()
        self._receive(rma)
        rma.action_replace()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        delivery.move_ids.lot_ids = self.serials[3]
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(rma.state, 'done')

        second = self.env['aftersales.rma'].browse(rma.action_return_replacement()['res_id'])
        self.assertEqual(second.origin_rma_id, rma)
        self.assertRecordValues(second.line_ids, [
            {'product_id': self.product_serial.id, 'lot_id': self.serials[3].id, 'product_uom_qty': 1},
        ])
        second.action_approve()
        self._receive(second)
        self.assertEqual(second.state, 'received')
        self.assertEqual(len(order.order_line), 1, "the order is untouched")
        self.assertEqual(order.order_line.qty_delivered, 1)

    def test_smart_buttons_open_the_returns_of_order_invoice_and_case(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        invoice = self._invoice(order)
        case = self.env['aftersales.case'].create({'subject': "Lamps back", 'partner_id': self.customer.id})
        first = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)], case_id=case.id)
        first.action_approve()
        self._receive(first)
        first.action_refund()
        credit_note = first.credit_note_ids
        # One return: its form, from every document it is linked to.
        for record in (order, invoice, credit_note, case):
            action = record.action_view_aftersales_rmas()
            self.assertEqual((action['res_model'], action.get('res_id')), ('aftersales.rma', first.id))
        second = self._create_rma(order, [(self.product_delivery, 2, 'refund', None)], case_id=case.id)
        # Two: the list of both, new ones made from there linked to the document.
        for record, default in ((order, 'default_sale_order_id'), (case, 'default_case_id')):
            action = record.action_view_aftersales_rmas()
            self.assertCountEqual(action['domain'][0][2], (first | second).ids)
            self.assertEqual(action['context'][default], record.id)
