from odoo.tests import Form, tagged

from .common import AftersalesRmaAccessCommon


@tagged('post_install', '-at_install')
class TestRmaHandling(AftersalesRmaAccessCommon):
    """What happens to goods once they are back: sent back as they are, the
    credit controller told, and the root cause analysed across returns."""

    def test_goods_returned_as_is_go_back_on_a_delivery_of_the_same_serial(self):
        order = self._deliver_order([(self.product_serial, 2)], serials=self.serials[:2])
        sale_line = order.order_line
        rma = self._create_rma(order, [(self.product_serial, 1, 'return', self.serials[1])],
                               team_id=self.team.id)
        rma.with_user(self.agent).action_approve()
        self._receive(rma)
        self.assertEqual(rma.state, 'received')
        self.assertEqual(rma.pending_actions, " return ")
        self.assertEqual(sale_line.qty_delivered, 2, "goods sent back stay delivered on the order")

        rma.with_user(self.agent).action_return_goods()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        self.assertRecordValues(delivery, [{
            'partner_id': rma.partner_shipping_id.id, 'aftersales_rma_id': rma.id, 'state': 'assigned',
        }])
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, self.serials[1], "the very unit goes back")
        self.assertFalse(delivery.sale_id, "the order does not deliver it again")
        self.assertEqual(rma.line_ids.qty_outgoing, 1)
        self.assertEqual(rma.pending_actions, "  ", "nothing waits once it is on its way")

        delivery.move_ids.picked = True
        delivery.with_user(self.warehouse_user).button_validate()
        self.assertEqual(rma.line_ids.qty_delivered, 1)
        self.assertEqual(rma.state, 'done')
        self.assertEqual((sale_line.qty_delivered, len(order.order_line)), (2, 1))
        self.assertFalse(rma.credit_note_ids)

    def test_credit_controller_is_told_once_when_goods_to_refund_arrive(self):
        self.company.aftersales_rma_credit_user_id = self.accountant
        credit = self.env.ref('aftersales_rma.mail_activity_rma_credit')
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        rma = self._create_rma(order, [(self.product_delivery, 3, 'refund', None)])
        rma.action_approve()
        self.assertFalse(rma.activity_ids, "nothing to credit before the goods arrive")

        receipt = rma.picking_ids
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        backorder = Form.from_action(self.env, receipt.with_user(self.warehouse_user).button_validate())
        backorder.save().with_user(self.warehouse_user).process()
        self.assertRecordValues(rma.activity_ids, [
            {'activity_type_id': credit.id, 'user_id': self.accountant.id},
        ])
        self._receive(rma)
        self.assertEqual(len(rma.activity_ids), 1, "the rest arriving adds no second reminder")

        rma.with_user(self.accountant).action_refund()
        self.assertFalse(rma.activity_ids, "crediting closes the reminder")
        self.assertTrue(rma.message_ids.filtered(lambda m: m.mail_activity_type_id == credit))

    def test_replaced_goods_tell_no_credit_controller(self):
        self.company.aftersales_rma_credit_user_id = self.accountant
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._received_rma(order, [(self.product_delivery, 1, 'replace', None)])
        self.assertFalse(rma.activity_ids)
        self.assertFalse(rma.is_pending_credit)

    def test_root_cause_and_corrective_action_are_kept_and_analysed_across_returns(self):
        packaging = self.env['aftersales.rma.root.cause'].create({'name': "Weak packaging"})
        supplier_fault = self.env['aftersales.rma.root.cause'].create({'name': "Supplier defect"})
        order = self._deliver_order([(self.product_delivery, 6), (self.product_order, 2)])
        returns = [
            self._create_rma(order, [(self.product_delivery, 2, 'refund', None)]),
            self._create_rma(order, [(self.product_delivery, 1, 'replace', None),
                                     (self.product_order, 1, 'refund', None)]),
            self._create_rma(order, [(self.product_delivery, 1, 'scrap', None)]),
        ]
        returns[0].write({
            'root_cause_id': packaging.id,
            'corrective_action': "<p>Corner protectors on every lamp box.</p>",
        })
        returns[1].root_cause_id = packaging
        returns[2].root_cause_id = supplier_fault
        self.assertIn("Corner protectors", str(returns[0].corrective_action))
        self.assertIn('root_cause_id', returns[0]._track_get_fields(), "the analysis is traceable")

        quantities = dict(self.env['aftersales.rma.line']._read_group(
            [('rma_id', 'in', [rma.id for rma in returns])], ['root_cause_id'], ['product_uom_qty:sum'],
        ))
        self.assertEqual(quantities, {packaging: 4, supplier_fault: 1})
        returns[2].root_cause_id = packaging
        self.assertEqual(returns[2].line_ids.root_cause_id, packaging, "the line analysis follows")

    def test_agent_without_stock_or_accounting_rights_opens_a_settled_return(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        rma = self._create_rma(order, [(self.product_delivery, 2, 'refund', None),
                                       (self.product_delivery, 1, 'replace', None)], team_id=self.team.id)
        rma.action_approve()
        self._receive(rma)
        rma.action_refund()
        rma.action_replace()
        self.assertEqual(
            rma.with_user(self.agent).read(['receipt_count', 'delivery_count', 'credit_note_count'])[0],
            {'id': rma.id, 'receipt_count': 1, 'delivery_count': 1, 'credit_note_count': 1},
        )
        # The form loads; the transfers and credit notes open for their own rights only.
        form = Form(rma.with_user(self.agent))
        self.assertEqual(form.state, 'received')
        arch = rma.with_user(self.agent).get_views([(False, 'form')])['views']['form']['arch']
        self.assertNotIn('action_view_receipts', arch)
        self.assertNotIn('action_view_credit_notes', arch)
