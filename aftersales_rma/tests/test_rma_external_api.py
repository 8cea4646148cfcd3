from xmlrpc.client import Fault

from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesRmaAccessCommon


@tagged('post_install', '-at_install')
class TestRmaExternalApi(AftersalesRmaAccessCommon, HttpCase):
    """Integrators drive returns from their own systems over XML-RPC: every
    public action answers something the marshaller accepts, and the whole
    chain (return, approval, receipt, credit note) runs as each role would
    run it from outside."""

    def _call(self, user, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over ``/xmlrpc/2/object`` as ``user``
        (whose password is their login, as ``new_test_user`` makes it)."""
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs,
        )

    def test_whole_return_chain_over_xmlrpc(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        invoice = self._invoice(order)
        rma_id = self._call(self.agent, 'aftersales.rma', 'create', {
            'partner_id': self.customer.id,
            'team_id': self.team.id,
            'sale_order_id': order.id,
            # Commands as an external client writes them: lists, not Command.
            'line_ids': [[0, 0, {
                'product_id': self.product_delivery.id, 'product_uom_qty': 2,
                'sale_line_id': order.order_line.id, 'resolution': 'refund',
            }]],
        })
        self.assertIs(self._call(self.agent, 'aftersales.rma', 'action_approve', [rma_id]), True)

        [rma] = self._call(self.warehouse_user, 'aftersales.rma', 'read', [rma_id], ['picking_ids'])
        [move] = self._call(self.warehouse_user, 'stock.move', 'search_read',
                            [('picking_id', 'in', rma['picking_ids'])], ['product_uom_qty'])
        self._call(self.warehouse_user, 'stock.move', 'write', [move['id']],
                   {'quantity': move['product_uom_qty'], 'picked': True})
        self.assertIs(self._call(self.warehouse_user, 'stock.picking', 'button_validate',
                                 rma['picking_ids']), True)

        action = self._call(self.accountant, 'aftersales.rma', 'action_refund', [rma_id])
        self.assertEqual(action['res_model'], 'account.move')
        self._call(self.accountant, 'account.move', 'action_post', [action['res_id']])

        rma = self.env['aftersales.rma'].browse(rma_id)
        self.assertEqual(rma.state, 'done')
        self.assertEqual(rma.credit_note_ids.state, 'posted')
        self.assertEqual(rma.credit_note_ids.reversed_entry_id, invoice)
        self.assertEqual(rma.line_ids.qty_credited, 2)

    def test_state_actions_answer_the_client(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)], team_id=self.team.id)
        for method, state in (('action_reject', 'rejected'), ('action_draft', 'draft'),
                              ('action_approve', 'approved'), ('action_cancel', 'cancel')):
            with self.subTest(method=method):
                self.assertIs(self._call(self.agent, 'aftersales.rma', method, rma.ids), True)
                rma.invalidate_recordset()
                self.assertEqual(rma.state, state)

    def test_wrong_state_and_wrong_user_answer_a_clear_fault(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        rma = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)],
                               team_id=self.team_other.id)
        with self.assertRaises(Fault) as caught:
            self._call(self.agent, 'aftersales.rma', 'action_approve', rma.ids)
        self.assertIn("doesn't have 'write' access", caught.exception.faultString)
        with self.assertRaises(Fault) as caught:
            self._call(self.agent_other, 'aftersales.rma', 'action_refund', rma.ids)
        self.assertIn("cannot be credited", caught.exception.faultString)
        self.assertEqual(rma.state, 'draft')

    def test_return_wizard_over_xmlrpc(self):
        # An agent who is also a salesperson starts returns from orders.
        seller = new_test_user(self.env, login='rma_agent_seller', groups=(
            'aftersales_case.aftersales_group_user,sales_team.group_sale_salesman_all_leads'))
        self.team.member_ids += seller
        order = self._deliver_order([(self.product_delivery, 5)])
        wizard_id = self._call(seller, 'aftersales.rma.create', 'create', {
            'sale_order_id': order.id,
        }, context={'active_model': 'sale.order', 'active_id': order.id})
        [wizard] = self._call(seller, 'aftersales.rma.create', 'read', [wizard_id], ['line_ids'])
        self._call(seller, 'aftersales.rma.create', 'write', [wizard_id], {
            'line_ids': [[1, wizard['line_ids'][0], {'product_uom_qty': 3}]],
        })
        action = self._call(seller, 'aftersales.rma.create', 'action_create_rma', [wizard_id])
        rma = self.env['aftersales.rma'].browse(action['res_id'])
        self.assertRecordValues(rma.line_ids, [{'product_uom_qty': 3, 'sale_line_id': order.order_line.id}])

    def test_case_actions_answer_the_client(self):
        case = self.env['aftersales.case'].create({
            'subject': "Lamp flickers", 'partner_id': self.customer.id, 'team_id': self.team.id,
        })
        self.assertIs(self._call(self.agent, 'aftersales.case', 'action_assign_to_me', case.ids), True)
        self.assertEqual(case.user_id, self.agent)
        closing = case._allowed_stages().filtered('is_closing')[:1]
        case.stage_id = closing
        self.assertIs(self._call(self.agent, 'aftersales.case', 'action_reopen', case.ids), True)
        self.assertFalse(case.stage_id.is_closing)
