from datetime import date

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyRegistration(AftersalesWarrantyCommon):

    def _registrations(self, **domain):
        return self.env['aftersales.warranty'].search([(key, '=', value) for key, value in domain.items()])

    def test_posted_invoice_registers_each_delivered_serial_from_the_invoice_date(self):
        self.company.aftersales_warranty_registration_trigger = 'invoice'
        self.term.start_trigger = 'invoice'
        order = self._deliver_order([(self.product_serial, 2)])
        invoice = order._create_invoices()
        invoice.invoice_date = date(2025, 3, 10)
        invoice.action_post()
        registrations = self._registrations(invoice_id=invoice.id)
        self.assertRecordValues(registrations.sorted(lambda r: r.lot_id.name), [{
            'lot_id': lot.id, 'partner_id': self.customer.id, 'sale_order_id': order.id,
            'quantity': 1.0, 'warranty_start': date(2025, 3, 10), 'warranty_end': date(2027, 3, 9),
            'term_id': self.term.id,
        } for lot in self.serials[:2]])

    def test_done_delivery_registers_each_serial_from_the_delivery_date(self):
        self.company.aftersales_warranty_registration_trigger = 'delivery'
        with freeze_time('2025-06-01 10:00:00'):
            order = self._deliver_order([(self.product_serial, 1), (self.product_delivery, 3)])
        registrations = self._registrations(sale_order_id=order.id)
        self.assertRecordValues(registrations, [{
            'product_id': self.product_serial.id, 'lot_id': self.serials[0].id,
            'picking_id': order.picking_ids.id, 'site_partner_id': order.partner_shipping_id.id,
            'warranty_start': date(2025, 6, 1), 'warranty_end': date(2027, 5, 31),
        }])

    def test_delivery_date_is_the_day_in_the_company_timezone(self):
        self.company.aftersales_warranty_registration_trigger = 'delivery'
        self.company.partner_id.tz = 'Pacific/Auckland'
        with freeze_time('2025-06-01 20:00:00'):
            order = self._deliver_order([(self.product_serial, 1)])
        self.assertEqual(self._registrations(sale_order_id=order.id).warranty_start, date(2025, 6, 2))

    def test_invoice_posted_while_registering_on_delivery_registers_nothing(self):
        self.company.aftersales_warranty_registration_trigger = 'delivery'
        order = self._deliver_order([(self.product_serial, 1)])
        invoice = self._invoice(order)
        self.assertFalse(self._registrations(invoice_id=invoice.id))
        self.assertEqual(len(self._registrations(sale_order_id=order.id)), 1)

    def test_installation_date_starts_the_clock_once_known(self):
        self.term.start_trigger = 'installation'
        registration = self._register(self.serials[0], registration_date=date(2025, 1, 5))
        self.assertEqual(registration.warranty_start, date(2025, 1, 5))
        registration.installation_date = date(2025, 2, 1)
        self.assertEqual(registration.warranty_end, date(2027, 1, 31))

    def test_extended_warranty_on_the_same_order_lengthens_the_warranty(self):
        self.company.aftersales_warranty_registration_trigger = 'invoice'
        self.term.start_trigger = 'invoice'
        order = self._deliver_order([(self.product_serial, 1)])
        order.order_line = [Command.create({'product_id': self.extension.id, 'product_uom_qty': 1})]
        invoice = order._create_invoices()
        invoice.invoice_date = date(2025, 3, 10)
        invoice.action_post()
        registration = self._registrations(invoice_id=invoice.id)
        self.assertTrue(registration.is_extended)
        self.assertEqual(registration.warranty_end, date(2028, 3, 9))

    def test_extended_warranty_on_another_order_does_not_lengthen_it(self):
        self.company.aftersales_warranty_registration_trigger = 'delivery'
        order = self._deliver_order([(self.product_serial, 1)])
        other = self.env['sale.order'].create({
            'partner_id': self.customer.id,
            'order_line': [Command.create({'product_id': self.extension.id})],
        })
        other.action_confirm()
        self.assertFalse(self._registrations(sale_order_id=order.id).is_extended)

    def test_register_button_registers_an_invoice_once(self):
        order = self._deliver_order([(self.product_serial, 2)])
        invoice = self._invoice(order)
        self.assertFalse(self._registrations(invoice_id=invoice.id))
        invoice.with_user(self.warranty_user).action_aftersales_register_warranties()
        invoice.with_user(self.warranty_user).action_aftersales_register_warranties()
        self.assertEqual(self._registrations(invoice_id=invoice.id).lot_id, self.serials[:2])
        self.assertEqual(invoice.with_user(self.warranty_user).aftersales_warranty_count, 2)

    def test_register_button_skips_serials_registered_from_the_delivery(self):
        self.company.aftersales_warranty_registration_trigger = 'delivery'
        order = self._deliver_order([(self.product_serial, 1)])
        invoice = self._invoice(order)
        invoice.action_aftersales_register_warranties()
        self.assertEqual(len(self._registrations(sale_order_id=order.id)), 1)

    def test_products_without_terms_are_not_registered(self):
        self.company.aftersales_warranty_registration_trigger = 'invoice'
        invoice = self._post_invoice([(self.product_delivery, 2, 100.0, 0.0)])
        self.assertFalse(self._registrations(invoice_id=invoice.id))

    def test_category_terms_cover_products_of_subcategories(self):
        parent = self.env['product.category'].create({'name': "Machines"})
        child = self.env['product.category'].create({'name': "Lamps", 'parent_id': parent.id})
        category_term = self.env['aftersales.warranty.term'].create({
            'name': "Machines: one year", 'product_categ_id': parent.id, 'duration': 1,
        })
        self.product_delivery.categ_id = child
        registration = self._register(product_id=self.product_delivery.id)
        self.assertEqual(registration.term_id, category_term)
        self.product_serial.categ_id = child
        self.assertEqual(self._register(self.serials[0]).term_id, self.term, "the product's own terms win")

    def test_registration_by_hand_with_the_form(self):
        form = Form(self.env['aftersales.warranty'].with_user(self.warranty_user))
        form.partner_id = self.customer
        form.product_id = self.product_serial
        form.lot_id = self.serials[0]
        form.installation_date = date(2025, 4, 1)
        registration = form.save()
        self.assertEqual(registration.term_id, self.term)
        self.assertTrue(registration.name.startswith('WAR/'))

    def test_serial_already_registered_is_refused(self):
        first = self._register(self.serials[0])
        with self.assertRaises(ValidationError) as error:
            self._register(self.serials[0], partner=self.partner_b)
        self.assertIn(first.name, str(error.exception))

    def test_serial_registered_twice_at_once_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env['aftersales.warranty'].create([{
                'partner_id': partner.id, 'product_id': self.product_serial.id, 'lot_id': self.serials[0].id,
            } for partner in (self.customer, self.partner_b)])

    def test_database_refuses_a_second_active_registration_of_a_serial(self):
        """The unique index holds where the Python check cannot see the other
        transaction's registration."""
        self._register(self.serials[0])
        second = self._register(self.serials[1])
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE aftersales_warranty SET lot_id = %s WHERE id = %s", (self.serials[0].id, second.id),
            )

    def test_voided_registration_frees_its_serial_for_a_transfer(self):
        first = self._register(self.serials[0])
        first.with_user(self.warranty_manager).write({'void_reason': "Sold on to another customer"})
        first.with_user(self.warranty_manager).action_void()
        second = self._register(self.serials[0], partner=self.partner_b)
        self.assertEqual((first.state, second.state), ('void', 'active'))
        with self.assertRaises(ValidationError):
            first.with_user(self.warranty_manager).action_reactivate()

    def test_serial_number_of_another_product_is_refused(self):
        other_lot = self.env['stock.lot'].create({'name': "XX-1", 'product_id': self.product_order.id})
        with self.assertRaises(ValidationError):
            self._register(other_lot)

    def test_serial_tracked_registration_holds_one_unit(self):
        with self.assertRaises(ValidationError):
            self._register(self.serials[0], quantity=2)

    def test_registration_ended_yesterday_is_expired_by_the_scheduled_action(self):
        today = fields.Date.today()
        started = today - relativedelta(years=2, days=-1)
        registration = self._register(self.serials[0], registration_date=started)
        self.assertEqual((registration.warranty_end, registration.state), (today, 'active'))
        cron = self.env.ref('aftersales_warranty.ir_cron_aftersales_warranty_expire')
        with freeze_time(today + relativedelta(days=2)), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        registration.invalidate_recordset()
        self.assertEqual(registration.state, 'expired')

    def test_registration_made_after_its_end_is_expired(self):
        registration = self._register(self.serials[0], registration_date=date(2020, 1, 1))
        self.assertEqual(registration.state, 'expired')
