from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyAccess(AftersalesWarrantyCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env['res.company'].create({'name': "Other Warranty Company"})
        cls.other_registration = cls.env['aftersales.warranty'].create({
            'company_id': cls.other_company.id, 'partner_id': cls.customer.id,
            'product_id': cls.env['product.product'].create({'name': "Shared Lamp", 'type': 'consu'}).id,
        })
        cls.registration = cls.env['aftersales.warranty'].create({
            'partner_id': cls.customer.id, 'product_id': cls.product_serial.id, 'lot_id': cls.serials[0].id,
        })

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_after_sales_agent_without_warranty_rights_reads_no_registration(self):
        with self.assertRaises(AccessError):
            self.registration.with_user(self.agent).read(['name'])

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_internal_user_reads_no_registration(self):
        with self.assertRaises(AccessError):
            self.env['aftersales.warranty'].with_user(self.internal_user).search([])

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_warranty_user_cannot_change_terms(self):
        self.assertEqual(self.term.with_user(self.warranty_user).name, "Printers: two years")
        with self.assertRaises(AccessError):
            self.term.with_user(self.warranty_user).duration = 10

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_warranty_user_cannot_delete_registrations(self):
        with self.assertRaises(AccessError):
            self.registration.with_user(self.warranty_user).unlink()

    def test_warranty_user_cannot_void_a_registration(self):
        with self.assertRaises(UserError):
            self.registration.with_user(self.warranty_user).action_void()
        self.assertEqual(self.registration.state, 'active')

    def test_registrations_of_another_company_are_hidden(self):
        found = self.env['aftersales.warranty'].with_user(self.warranty_manager).search([])
        self.assertIn(self.registration, found)
        self.assertNotIn(self.other_registration, found)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_registration_of_another_company_cannot_be_read(self):
        with self.assertRaises(AccessError):
            self.other_registration.with_user(self.warranty_manager).read(['name'])

    def test_accountant_without_warranty_rights_posting_registers_the_units(self):
        self.company.aftersales_warranty_registration_trigger = 'invoice'
        order = self._deliver_order([(self.product_serial, 1)], serials=self.serials[1])
        invoice = order._create_invoices()
        invoice.with_user(self.accountant).action_post()
        registration = self.env['aftersales.warranty'].search([('invoice_id', '=', invoice.id)])
        self.assertEqual(registration.lot_id, self.serials[1])

    def test_warehouse_user_validating_a_delivery_registers_the_units(self):
        self.company.aftersales_warranty_registration_trigger = 'delivery'
        order = self.env['sale.order'].create({
            'partner_id': self.customer.id,
            'order_line': [(0, 0, {'product_id': self.product_serial.id, 'product_uom_qty': 1})],
        })
        order.action_confirm()
        order.picking_ids.move_ids.lot_ids = self.serials[2]
        order.picking_ids.move_ids.picked = True
        order.picking_ids.with_user(self.warehouse_user).button_validate()
        registration = self.env['aftersales.warranty'].search([('sale_order_id', '=', order.id)])
        self.assertEqual(registration.lot_id, self.serials[2])

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_register_button_needs_warranty_rights(self):
        invoice = self._post_invoice([(self.product_serial, 1, 200.0, 0.0)])
        with self.assertRaises(AccessError):
            invoice.with_user(self.accountant).action_aftersales_register_warranties()

    def test_new_warranty_user_sees_the_warranty_menu(self):
        user = new_test_user(self.env, login='warranty_menu_user',
                             groups='aftersales_warranty.aftersales_warranty_group_user')
        menu = self.env.ref('aftersales_warranty.aftersales_warranty_menu')
        self.assertIn(menu.id, self.env['ir.ui.menu'].with_user(user)._visible_menu_ids())
