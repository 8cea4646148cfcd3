from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .create_common import AftersalesRmaCreateCommon


@tagged('post_install', '-at_install')
class TestRmaCreateFromCase(AftersalesRmaCreateCommon):
    """The return wizard from a case, and returns made by hand."""

    # From a case, and by hand

    def test_case_wizard_links_the_return_to_the_case(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        case = self._create_case(sale_order_id=order.id, partner_id=self.customer.id)
        form = self._open_wizard(case)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.sale_order_id, order)
        self.assertEqual(self._proposed(form), [(self.product_delivery, self.env['stock.lot'], 5.0)])
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): 1})
        rma = self._confirm(form)
        self.assertRecordValues(rma, [{
            'case_id': case.id, 'sale_order_id': order.id, 'partner_id': self.customer.id,
            'team_id': self.team.id,
        }])
        self.assertEqual(case.aftersales_rma_ids, rma)
        self.assertEqual(case.aftersales_rma_count, 1)

    def test_agent_without_sales_rights_returns_goods_of_own_team_case(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        case = self._create_case(sale_order_id=order.id)
        self.assertFalse(self.agent.has_group('sales_team.group_sale_salesman'))
        form = self._open_wizard(case, user=self.agent)
        self.assertEqual(self._proposed(form), [(self.product_delivery, self.env['stock.lot'], 5.0)])
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): 1})
        rma = self._confirm(form)
        self.assertRecordValues(rma, [{'case_id': case.id, 'sale_order_id': order.id}])
        self.assertEqual(rma.line_ids.sale_line_id, order.order_line)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_agent_cannot_propose_lines_of_an_order_outside_the_case(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        case = self._create_case()
        form = self._open_wizard(case, user=self.agent)
        with self.assertRaises(AccessError):
            form.sale_order_id = order
        wizard = self.env['aftersales.rma.create'].with_user(self.agent).create({
            'partner_id': self.customer.id,
            'case_id': case.id,
            'line_ids': [Command.create({
                'product_id': self.product_delivery.id, 'sale_line_id': order.order_line.id,
                'product_uom_qty': 1,
            })],
        })
        with self.assertRaises(AccessError):
            wizard.action_create_rma()

    def test_agent_creates_return_on_own_team_case_without_order(self):
        case = self._create_case()
        form = self._open_wizard(case, user=self.agent)
        self.assertFalse(form.line_ids, "no order: the agent adds the goods")
        with form.line_ids.new() as line:
            line.product_id = self.product_order
            line.product_uom_qty = 2
        rma = self._confirm(form)
        self.assertEqual(rma.create_uid, self.agent)
        self.assertRecordValues(rma, [{'case_id': case.id, 'partner_id': self.customer.id}])
        self.assertRecordValues(rma.line_ids, [{
            'product_id': self.product_order.id, 'product_uom_qty': 2, 'sale_line_id': False,
        }])
        self.assertEqual(case.aftersales_rma_ids, rma)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_agent_of_another_team_cannot_create_return_on_case(self):
        case = self._create_case()
        with self.assertRaises(AccessError):
            self._open_wizard(case, user=self.agent_other)
        # A wizard crafted over RPC with the case's id does not get through either.
        wizard = self.env['aftersales.rma.create'].with_user(self.agent_other).create({
            'partner_id': self.customer.id,
            'case_id': case.id,
            'line_ids': [Command.create({'product_id': self.product_order.id, 'product_uom_qty': 1})],
        })
        with self.assertRaises(AccessError):
            wizard.action_create_rma()
        self.assertFalse(case.aftersales_rma_ids)

    def test_wizard_by_hand_takes_lines_of_two_orders(self):
        first = self._deliver_order([(self.product_delivery, 5)])
        second = self._deliver_order([(self.product_delivery, 2)])
        form = Form(self.env['aftersales.rma.create'])
        form.partner_id = self.customer
        for sale_line, qty in ((first.order_line, 1), (second.order_line, 2)):
            with form.line_ids.new() as line:
                line.product_id = self.product_delivery
                line.sale_line_id = sale_line
                line.product_uom_qty = qty
        with form.line_ids.new() as line:
            line.product_id = self.product_order
            line.product_uom_qty = 1
        self.assertEqual(form.save().line_ids.mapped('qty_returnable'), [5.0, 2.0, 0.0])
        rma = self._confirm(form)
        self.assertFalse(rma.sale_order_id, "two orders: none is the return's")
        self.assertEqual(rma.line_ids.sale_line_id.order_id, first | second)

    def test_return_by_hand_of_two_orders_is_received_on_both(self):
        first = self._deliver_order([(self.product_delivery, 5)])
        second = self._deliver_order([(self.product_delivery, 2), (self.product_order, 1)])
        rma = self.env['aftersales.rma'].create({
            'partner_id': self.customer.id,
            'line_ids': [
                Command.create({'product_id': self.product_delivery.id, 'product_uom_qty': 1,
                                'sale_line_id': first.order_line.id}),
                Command.create({'product_id': self.product_delivery.id, 'product_uom_qty': 2,
                                'sale_line_id': second.order_line[0].id}),
            ],
        })
        with self.assertRaisesText(ValidationError, "Desk Lamp: at most 2.0 Units can still be returned"):
            rma.line_ids[1].product_uom_qty = 3
        rma.action_approve()
        self.assertEqual(len(rma.picking_ids), 2, "one receipt per original delivery")
        self._receive(rma)
        self.assertEqual(rma.state, 'received')
        self.assertEqual(first.order_line.qty_delivered, 4)
        self.assertEqual(second.order_line[0].qty_delivered, 0)

    def test_type_requiring_the_order_refuses_to_drop_it(self):
        # The order is a field this module adds to those a type configures:
        # clearing it alone must trigger the type's check too.
        order = self._deliver_order([(self.product_delivery, 1)])
        case_type = self.env['aftersales.case.type'].create({
            'name': "Order Return",
            'field_ids': [Command.create({'field_name': 'sale_order_id', 'required': True})],
        })
        case = self._create_case(type_id=case_type.id, sale_order_id=order.id)
        with self.assertRaisesText(ValidationError, "needs: Sales Order"):
            case.sale_order_id = False
