from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .create_common import AftersalesRmaCreateCommon


@tagged('post_install', '-at_install')
class TestRmaCreate(AftersalesRmaCreateCommon):
    """The return wizard from orders and invoices."""

    # From a sale order

    def test_order_wizard_proposes_returnable_quantities_and_serials(self):
        order = self._deliver_order([(self.product_delivery, 5), (self.product_serial, 3)])
        lamp_line, printer_line = order.order_line
        self.assertTrue(order.aftersales_can_return)
        form = self._open_wizard(order)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(self._proposed(form), [
            (self.product_delivery, self.env['stock.lot'], 5.0),
            (self.product_serial, self.serials[0], 1.0),
            (self.product_serial, self.serials[1], 1.0),
            (self.product_serial, self.serials[2], 1.0),
        ])
        self.assertEqual(form.save().line_ids.mapped('product_uom_qty'), [0.0] * 4,
                         "nothing is asked back until the agent says so")
        self._set_quantities(form, {
            (self.product_delivery, self.env['stock.lot']): 2,
            (self.product_serial, self.serials[1]): 1,
        })
        rma = self._confirm(form)

        self.assertRecordValues(rma, [{
            'state': 'draft', 'partner_id': self.customer.id, 'sale_order_id': order.id,
            'case_id': False, 'invoice_id': False,
        }])
        self.assertRecordValues(rma.line_ids, [
            {'product_id': self.product_delivery.id, 'product_uom_qty': 2, 'sale_line_id': lamp_line.id,
             'lot_id': False},
            {'product_id': self.product_serial.id, 'product_uom_qty': 1, 'sale_line_id': printer_line.id,
             'lot_id': self.serials[1].id},
        ])
        self.assertEqual(self._proposed(self._open_wizard(order)), [
            (self.product_delivery, self.env['stock.lot'], 3.0),
            (self.product_serial, self.serials[0], 1.0),
            (self.product_serial, self.serials[2], 1.0),
        ], "the open return's quantity and serial are no longer proposed")

    def test_order_button_needs_delivered_goods(self):
        order = self.env['sale.order'].create({
            'partner_id': self.customer.id,
            'order_line': [Command.create({'product_id': self.product_delivery.id, 'product_uom_qty': 2})],
        })
        self.assertFalse(order.aftersales_can_return)
        with self.assertRaisesText(UserError, "is not a confirmed order"):
            self._open_wizard(order)
        order.action_confirm()
        self.assertFalse(order.aftersales_can_return, "confirmed, but nothing delivered yet")

    def test_reason_sets_the_line_resolution(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        form = self._open_wizard(order)
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.resolution, 'refund')
            line.reason_id = self.reason_defective
            self.assertEqual(line.resolution, 'replace')
            line.product_uom_qty = 1
        rma = self._confirm(form)
        self.assertRecordValues(rma.line_ids, [
            {'reason_id': self.reason_defective.id, 'resolution': 'replace'},
        ])

    def test_second_return_counts_the_first_received_one(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        form = self._open_wizard(order)
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): 2})
        first = self._confirm(form)
        first.action_approve()
        self._receive(first)
        self.assertEqual(first.state, 'received')

        form = self._open_wizard(order)
        self.assertEqual(self._proposed(form), [(self.product_delivery, self.env['stock.lot'], 3.0)])
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): 4})
        wizard = form.save()
        with self.assertRaisesText(UserError, "Desk Lamp: at most 3.00 Units can be returned"):
            wizard.action_create_rma()
        self.assertEqual(order.aftersales_rma_count, 1)

    def test_serial_on_an_open_return_is_refused(self):
        order = self._deliver_order([(self.product_serial, 2)])
        self._create_rma(order, [(self.product_serial, 1, 'refund', self.serials[0])])
        wizard = self.env['aftersales.rma.create'].create({
            'partner_id': self.customer.id,
            'line_ids': [Command.create({
                'product_id': self.product_serial.id, 'lot_id': self.serials[0].id,
                'sale_line_id': order.order_line.id, 'product_uom_qty': 1,
            })],
        })
        self.assertEqual(wizard.line_ids.qty_returnable, 0.0)
        with self.assertRaisesText(UserError, "serial number LP-001 is not at the customer"):
            wizard.action_create_rma()

    # Bad quantities

    def test_over_return_is_refused_with_product_and_maximum(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        form = self._open_wizard(order)
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): 6})
        wizard = form.save()
        with self.assertRaisesText(UserError, "Desk Lamp: at most 5.00 Units can be returned from "
                                              f"{order.name}, not 6.00 Units."):
            wizard.action_create_rma()
        self.assertFalse(order.aftersales_rma_count)

    def test_over_return_in_another_unit_is_refused(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        wizard = self.env['aftersales.rma.create'].with_context(
            active_model='sale.order', active_id=order.id,
        ).create({})
        wizard.line_ids.write({'product_uom_id': self.dozen.id, 'product_uom_qty': 1})
        self.assertAlmostEqual(wizard.line_ids.qty_returnable, 5 / 12, places=2)
        with self.assertRaisesText(UserError, "Desk Lamp: at most 5.00 Units can be returned from "
                                              f"{order.name}, not 12.00 Units."):
            wizard.action_create_rma()

        wizard.line_ids.product_uom_qty = 0.25
        rma = self.env['aftersales.rma'].browse(wizard.action_create_rma()['res_id'])
        self.assertRecordValues(rma.line_ids, [{'product_uom_id': self.dozen.id, 'product_uom_qty': 0.25}])
        self.assertEqual(order.order_line._aftersales_returnable_qty()[order.order_line], 2.0)

    def test_zero_only_quantities_are_refused(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        wizard = self._open_wizard(order).save()
        with self.assertRaisesText(UserError, "Nothing to return"):
            wizard.action_create_rma()
        self.assertFalse(order.aftersales_rma_count)

    def test_negative_quantity_is_refused(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        form = self._open_wizard(order)
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): -1})
        wizard = form.save()
        with self.assertRaisesText(UserError, "Desk Lamp: enter a quantity to return between 0 and "
                                              "5.00 Units, not -1.0."):
            wizard.action_create_rma()
        self.assertFalse(order.aftersales_rma_count)

    # From an invoice

    def test_invoice_with_order_lines_proposes_what_was_delivered(self):
        order = self._deliver_order([(self.product_delivery, 5), (self.product_order, 2)])
        invoice = self._invoice(order)
        form = self._open_wizard(invoice)
        self.assertEqual(self._proposed(form), [
            (self.product_delivery, self.env['stock.lot'], 5.0),
            (self.product_order, self.env['stock.lot'], 2.0),
        ])
        self._set_quantities(form, {(self.product_order, self.env['stock.lot']): 1})
        rma = self._confirm(form)
        chair_invoice_line = invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product_order
        )
        self.assertRecordValues(rma, [{
            'invoice_id': invoice.id, 'sale_order_id': order.id, 'partner_id': self.customer.id,
        }])
        self.assertRecordValues(rma.line_ids, [{
            'product_id': self.product_order.id, 'product_uom_qty': 1,
            'sale_line_id': order.order_line[1].id, 'invoice_line_id': chair_invoice_line.id,
            'price_unit': 150.0,
        }])
        self.assertEqual(invoice.aftersales_rma_ids, rma)

    def test_invoice_without_order_proposes_invoiced_less_open_returns(self):
        invoice = self._posted_invoice([(self.product_delivery, 4), (self.product_order, 1)])
        form = self._open_wizard(invoice)
        self.assertEqual(self._proposed(form), [
            (self.product_delivery, self.env['stock.lot'], 4.0),
            (self.product_order, self.env['stock.lot'], 1.0),
        ])
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): 3})
        rma = self._confirm(form)
        self.assertRecordValues(rma, [{'invoice_id': invoice.id, 'sale_order_id': False}])
        self.assertRecordValues(rma.line_ids, [{
            'product_id': self.product_delivery.id, 'product_uom_qty': 3, 'sale_line_id': False,
            'invoice_line_id': invoice.invoice_line_ids[0].id,
        }])

        form = self._open_wizard(invoice)
        self.assertEqual(self._proposed(form)[0], (self.product_delivery, self.env['stock.lot'], 1.0))
        self._set_quantities(form, {(self.product_delivery, self.env['stock.lot']): 2})
        wizard = form.save()
        with self.assertRaisesText(UserError, f"Desk Lamp: at most 1.00 Units can be returned from "
                                              f"{invoice.name}"):
            wizard.action_create_rma()

    def test_draft_invoice_cannot_be_returned(self):
        invoice = self.env['account.move'].create({
            'move_type': 'out_invoice', 'partner_id': self.customer.id,
            'invoice_line_ids': [Command.create({'product_id': self.product_delivery.id, 'quantity': 1})],
        })
        with self.assertRaisesText(UserError, "is not a posted customer invoice"):
            self._open_wizard(invoice)

    # Scale

    def test_opening_the_wizard_does_not_query_per_line(self):
        products = self.env['product.product'].concat(*(
            self._create_rma_product(name=f"Part {n}", invoice_policy='delivery', lst_price=10.0)
            for n in range(50)
        ))
        for product in products:
            self.env['stock.quant']._update_available_quantity(product, self.stock_location, 10)
        small = self._deliver_order([(product, 2) for product in products[:5]])
        large = self._deliver_order([(product, 2) for product in products])

        def count_queries(order, open_form=False):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            if open_form:  # what the web client does: default_get and onchange
                wizard = Form.from_action(self.env, order.action_aftersales_return())
            else:
                wizard = self.env['aftersales.rma.create'].with_context(
                    active_model='sale.order', active_id=order.id,
                ).create({})
                wizard.line_ids.mapped('qty_returnable')
                self.env.flush_all()
            return self.cr.sql_log_count - start, wizard

        for open_form in (False, True):
            count_queries(small, open_form)  # warm up the caches of the ORM and the registry
            small_count, small_wizard = count_queries(small, open_form)
            large_count, large_wizard = count_queries(large, open_form)
            self.assertEqual(len(small_wizard.line_ids), 5)
            self.assertEqual(len(large_wizard.line_ids), 50)
            self.assertLessEqual(large_count, small_count + 5, (open_form, small_count, large_count))
