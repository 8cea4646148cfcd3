from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaPosCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestRmaPosCreate(AftersalesRmaPosCommon):
    """The Return button of a till receipt: what it proposes, and what it refuses."""

    def _open_wizard(self, order, user=None):
        order = order.with_user(user or self.pos_agent)
        return Form.from_action(order.env, order.action_aftersales_return())

    def _proposed(self, form):
        wizard = form.save()
        return [(line.product_id, line.lot_id, line.qty_returnable) for line in wizard.line_ids]

    def test_return_button_proposes_what_the_till_sold_less_its_refunds(self):
        order = self._sell([(self.product_delivery, 5), (self.product_order, 2)], partner=self.customer)
        self._refund_at_till(order, {self.product_delivery: 1})
        form = self._open_wizard(order)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(self._proposed(form), [
            (self.product_delivery, self.env['stock.lot'], 4.0),
            (self.product_order, self.env['stock.lot'], 2.0),
        ])

    def test_wizard_proposes_less_what_open_returns_ask(self):
        order = self._sell([(self.product_delivery, 5)], partner=self.customer)
        self._pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        self.assertEqual(self._proposed(self._open_wizard(order))[0][2], 3.0)

    def test_serials_sold_at_the_till_are_proposed_one_per_line(self):
        serials = self.serials[:3]
        order = self._sell([(self.product_serial, 3, serials.mapped('name'))], partner=self.customer)
        self._pos_return(order, [(self.product_serial, 1, 'refund', serials[1])])
        self.assertEqual(self._proposed(self._open_wizard(order)), [
            (self.product_serial, serials[0], 1.0), (self.product_serial, serials[2], 1.0),
        ])

    def test_wizard_makes_the_return_of_the_receipt(self):
        order = self._sell([(self.product_delivery, 5)], partner=self.customer)
        form = self._open_wizard(order)
        with form.line_ids.edit(0) as line:
            line.product_uom_qty = 2
        wizard = form.save()
        rma = self.env['aftersales.rma'].browse(wizard.action_create_rma()['res_id'])
        self.assertRecordValues(rma, [{'pos_order_id': order.id, 'partner_id': self.customer.id}])
        self.assertRecordValues(rma.line_ids, [{
            'pos_order_line_id': order.lines.id, 'product_uom_qty': 2.0,
            'price_unit': order.lines.price_unit,
        }])

    def test_asking_more_than_the_receipt_can_give_back_is_refused(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        self._pos_return(order, [(self.product_delivery, 2, 'refund', None)])
        form = self._open_wizard(order)
        with form.line_ids.edit(0) as line:
            line.product_uom_qty = 2
        wizard = form.save()
        with self.assertRaisesText(UserError, "at most 1.00 Units can be returned"):
            wizard.action_create_rma()
        self.assertEqual(self.env['aftersales.rma'].search_count([('pos_order_id', '=', order.id)]), 1)

    def test_return_asking_more_than_sold_is_refused(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        with self.assertRaisesText(ValidationError, "at most 3.0"):
            self._pos_return(order, [(self.product_delivery, 4, 'refund', None)])

    def test_refund_order_has_no_return_button(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        refund = self._refund_at_till(order, {self.product_delivery: 1})
        self.assertFalse(refund.aftersales_can_return)
        with self.assertRaisesText(UserError, "not a paid sale"):
            self._open_wizard(refund)

    def test_anonymous_receipt_is_returned_by_the_customer_given(self):
        order = self._sell([(self.product_delivery, 3)])
        form = self._open_wizard(order)
        self.assertFalse(form.partner_id)
        self.assertTrue(form.is_pos_anonymous)
        form.partner_id = self.partner_b
        with form.line_ids.edit(0) as line:
            line.product_uom_qty = 1
        rma = self.env['aftersales.rma'].browse(form.save().action_create_rma()['res_id'])
        self.assertRecordValues(rma, [{
            'partner_id': self.partner_b.id, 'pos_order_id': order.id, 'is_pos_anonymous': True,
        }])

    def test_receipt_of_another_customer_is_refused(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.partner_b)
        with self.assertRaisesText(ValidationError, "belongs to another customer"):
            self.env['aftersales.rma'].create({'partner_id': self.customer.id, 'pos_order_id': order.id})
        with self.assertRaisesText(ValidationError, "is not a paid sale of Desk Lamp to"):
            self._create_return(self.customer, [(self.product_delivery, 1, 'refund', None)],
                                lambda product: {'pos_order_line_id': order.lines.id})

    def test_serial_not_sold_on_the_receipt_is_refused_at_approval(self):
        order = self._sell([(self.product_serial, 2, self.serials[:2].mapped('name'))], partner=self.customer)
        rma = self._pos_return(order, [(self.product_serial, 1, 'refund', self.serials[3])])
        with self.assertRaisesText(ValidationError, "LP-004 was not sold on"):
            rma.action_approve()
        self.assertEqual(rma.state, 'draft')

    @mute_logger(*ACCESS_LOGGERS)
    def test_agent_who_cannot_read_the_receipt_gets_no_wizard(self):
        order = self._sell([(self.product_delivery, 3)], partner=self.customer)
        with self.assertRaises(AccessError):
            self._open_wizard(order, user=self.agent)
        wizard = self.env['aftersales.rma.create'].with_user(self.agent).create({
            'partner_id': self.customer.id,
        })
        with self.assertRaises(AccessError):
            wizard.pos_order_id = order
            wizard.line_ids.mapped('qty_returnable')
