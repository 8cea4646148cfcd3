from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRepairCommon

MUTED = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestRepairQuote(AftersalesRepairCommon):
    """A quote of parts, hours and extra costs, in or out of warranty, made
    into a sale order through core's link and invoiced from it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part = cls._create_rma_product(name="Keyboard Module", lst_price=40.0, invoice_policy='delivery')
        cls.env['stock.quant']._update_available_quantity(cls.part, cls.stock_location, 10)
        cls.labour = cls.env['product.product'].create({
            'name': "Keyboard Replacement", 'type': 'service', 'list_price': 60.0,
            'invoice_policy': 'order', 'aftersales_standard_minutes': 45.0,
        })
        cls.mileage = cls.env['product.product'].create({
            'name': "Mileage", 'type': 'service', 'list_price': 0.5, 'invoice_policy': 'order',
        })
        cls.salesman = new_test_user(
            cls.env, login='repair_quote_salesman', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman_all_leads',
        )

    def _quote(self, **values):
        """A repair of the customer's product: one part, one hour of work, 100 km."""
        repair = self.env['repair.order'].with_user(self.technician).create({
            'partner_id': self.customer.id, 'product_id': self.product_delivery.id,
            'move_ids': [Command.create({
                'product_id': self.part.id, 'product_uom_qty': 1, 'repair_line_type': 'add',
            })],
            'aftersales_operation_ids': [Command.create({'product_id': self.labour.id})],
            'aftersales_cost_ids': [Command.create({'product_id': self.mileage.id, 'quantity': 100})],
            **values,
        })
        return repair.with_env(self.env)

    def _order_lines(self, repair):
        return sorted(
            (line.product_id.name, line.product_uom_qty, line.price_unit)
            for line in repair.sale_order_id.order_line
        )

    def _finish(self, repair):
        repair = repair.with_user(self.technician)
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()

    def test_quote_holds_parts_hours_and_extra_costs(self):
        repair = self._quote()
        self.assertRecordValues(repair, [{
            'aftersales_amount_parts': 40.0, 'aftersales_amount_operations': 60.0,
            'aftersales_amount_costs': 50.0, 'aftersales_amount_total': 150.0,
            'aftersales_amount_to_charge': 150.0, 'aftersales_quote_state': 'draft',
        }])

    def test_confirmed_quote_makes_the_order_and_the_invoice_follows(self):
        repair = self._quote()
        repair.with_user(self.repair_manager).action_aftersales_confirm_quote()
        order = repair.sale_order_id
        self.assertEqual(order.state, 'sale')
        self.assertEqual(order.repair_order_ids, repair)
        self.assertEqual(self._order_lines(repair), [
            ("Keyboard Module", 1.0, 40.0), ("Keyboard Replacement", 1.0, 60.0), ("Mileage", 100.0, 0.5),
        ])
        self.assertEqual(order.amount_untaxed, 150.0)
        self.assertEqual(repair.aftersales_quote_state, 'confirmed')

        self._finish(repair)
        action = repair.with_user(self.repair_manager).action_aftersales_create_invoice()
        invoice = self.env['account.move'].browse(action['res_id'])
        self.assertEqual(invoice.amount_untaxed, 150.0)
        self.assertEqual(invoice.partner_id, self.customer)
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(order.invoice_status, 'invoiced')

    def test_under_warranty_the_costs_are_known_and_nothing_is_charged(self):
        repair = self._quote(under_warranty=True)
        self.assertEqual(repair.aftersales_amount_total, 150.0)
        self.assertEqual(repair.aftersales_amount_to_charge, 0.0)
        repair.with_user(self.repair_manager).action_aftersales_confirm_quote()
        self.assertEqual(self._order_lines(repair), [
            ("Keyboard Module", 1.0, 0.0), ("Keyboard Replacement", 1.0, 0.0), ("Mileage", 100.0, 0.0),
        ])
        self._finish(repair)
        action = repair.with_user(self.repair_manager).action_aftersales_create_invoice()
        invoice = self.env['account.move'].browse(action['res_id'])
        self.assertEqual(invoice.amount_total, 0.0)
        self.assertEqual(len(invoice.invoice_line_ids), 3, "the work is on the invoice, charged nothing")

    def test_warranty_granted_after_the_order_zeroes_its_lines(self):
        repair = self._quote()
        repair.with_user(self.repair_manager).action_aftersales_confirm_quote()
        repair.with_user(self.technician).under_warranty = True
        self.assertEqual(repair.sale_order_id.amount_untaxed, 0.0)
        repair.with_user(self.technician).under_warranty = False
        self.assertEqual(repair.sale_order_id.amount_untaxed, 150.0)

    def test_work_recorded_after_confirmation_follows_on_the_order(self):
        repair = self._quote()
        repair.with_user(self.repair_manager).action_aftersales_confirm_quote()
        operation = self.env['aftersales.repair.operation'].with_user(self.technician).create({
            'repair_id': repair.id, 'product_id': self.labour.id, 'quantity': 2,
        })
        self.assertEqual(operation.sale_line_id.order_id, repair.sale_order_id)
        self.assertEqual(repair.sale_order_id.amount_untaxed, 270.0)
        operation.quantity = 1
        self.assertEqual(operation.sale_line_id.product_uom_qty, 1.0)
        operation.unlink()
        self.assertEqual(repair.sale_order_id.amount_untaxed, 150.0)

    def test_technician_cannot_confirm_nor_invoice_a_quote(self):
        repair = self._quote()
        with mute_logger(*MUTED), self.assertRaisesText(AccessError, "Only salespeople"):
            repair.with_user(self.technician).action_aftersales_confirm_quote()
        self.assertFalse(repair.sale_order_id)
        repair.with_user(self.repair_manager).action_aftersales_confirm_quote()
        with mute_logger(*MUTED), self.assertRaisesText(AccessError, "Only salespeople"):
            repair.with_user(self.technician).action_aftersales_create_invoice()
        self.assertFalse(repair.sale_order_id.invoice_ids)
        action = repair.with_user(self.repair_manager).action_aftersales_create_invoice()
        invoice = self.env['account.move'].browse(action['res_id'])
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            invoice.with_user(self.technician).action_post()
        self.assertEqual(invoice.state, 'draft')

    def test_salesman_without_repair_rights_opens_the_order_but_not_the_repair(self):
        repair = self._quote()
        repair.with_user(self.repair_manager).action_aftersales_confirm_quote()
        order = repair.sale_order_id.with_user(self.salesman)
        result = order.web_read({'name': {}, 'amount_untaxed': {}, 'order_line': {'fields': {'name': {}}}})
        self.assertEqual(result[0]['amount_untaxed'], 150.0)
        self.assertNotIn('repair_count', order.fields_get())
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            repair.with_user(self.salesman).read(['name'])
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            repair.with_user(self.salesman).action_aftersales_confirm_quote()

    def test_quote_of_a_cancelled_repair_is_not_confirmed(self):
        repair = self._quote()
        repair.action_repair_cancel()
        with self.assertRaisesText(UserError, "cancelled"):
            repair.with_user(self.repair_manager).action_aftersales_confirm_quote()
        self.assertFalse(repair.sale_order_id)

    def test_quote_is_emailed_with_its_pdf(self):
        repair = self._quote()
        action = repair.with_user(self.technician).action_aftersales_send_quote()
        composer = Form(self.env[action['res_model']].with_user(self.technician).with_context(
            **action['context'],
        ))
        composer.save().action_send_mail()
        message = repair.message_ids[0]
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(len(message.attachment_ids), 1)
        # A PDF outside tests, which render the report as HTML.
        self.assertTrue(message.attachment_ids.name.startswith(f"Repair Quote - {repair.name}."))
        self.assertEqual(repair.aftersales_quote_state, 'sent')

    def test_quote_pdf_shows_each_section_and_the_warranty(self):
        repair = self._quote(under_warranty=True)
        html = str(self.env['ir.actions.report']._render_qweb_html(
            'aftersales_repair.action_report_repair_quote', repair.ids,
        )[0])
        for text in ("Keyboard Module", "Keyboard Replacement", "Mileage", "Under warranty", repair.name):
            self.assertIn(text, html)

    def test_access_token_is_renewed_when_the_customer_changes(self):
        repair = self._quote()
        repair._portal_ensure_token()
        token = repair.access_token
        repair.aftersales_brought_by = "A courier"
        self.assertEqual(repair.access_token, token)
        repair.partner_id = self.partner_b
        self.assertNotEqual(repair.access_token, token)
        self.assertEqual(repair.access_url, f'/my/repairs/{repair.id}')
