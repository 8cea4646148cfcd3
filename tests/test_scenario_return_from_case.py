"""Across the suite: a customer calls about a wrong delivery; the case leads
to a return from the original order, the warehouse receives the goods, and
accounting credits them; every document links to the others."""

from odoo.addons.aftersales_rma.tests.common import AftersalesRmaCommon
from odoo.tests import Form, tagged


@tagged('post_install', '-at_install')
class TestReturnFromCase(AftersalesRmaCommon):

    def test_case_to_return_to_receipt_to_credit_note(self):
        order = self._deliver_order([(self.product_delivery, 4), (self.product_serial, 2)])
        invoice = self._invoice(order)
        team = self.env['aftersales.team'].create({'name': "Returns Desk", 'member_ids': [self.agent.id]})
        case = self.env['aftersales.case'].create({
            'subject': "Two lamps arrived broken",
            'partner_id': self.customer.id,
            'team_id': team.id,
            'type_id': self.env.ref('aftersales_case.type_return').id,
            'sale_order_id': order.id,
            'product_ids': [self.product_delivery.id],
        })
        self.assertTrue(case.activity_ids, "the returns team is told at once")

        # The agent opens the return wizard from the case, as the button does.
        wizard = Form.from_action(self.env(user=self.agent), case.action_create_aftersales_rma())
        with wizard.line_ids.edit(0) as lamp:
            self.assertEqual(lamp.product_id, self.product_delivery)
            lamp.product_uom_qty = 2
        rma = self.env['aftersales.rma'].browse(wizard.save().action_create_rma()['res_id'])

        self.assertEqual(rma.case_id, case)
        self.assertEqual(case.aftersales_rma_ids, rma)
        self.assertEqual(rma.sale_order_id, order)
        rma.with_user(self.agent).action_approve()
        self._receive(rma)
        self.assertEqual(order.order_line.filtered(
            lambda line: line.product_id == self.product_delivery).qty_delivered, 2)

        rma.with_user(self.accountant).action_refund()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.aftersales_rma_ids, rma)
        self.assertIn(rma, invoice.aftersales_rma_ids)
        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(rma.state, 'done')
        self.assertEqual(order.aftersales_rma_count, 1)
        self.assertAlmostEqual(credit_note.amount_total, 2 * 100 * 1.15)
