import base64

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesRepairCommon


@tagged('post_install', '-at_install')
class TestRepairParts(AftersalesRepairCommon):
    """Parts are core's repair moves: reserved on confirmation, consumed when
    the repair is done, replenished by their own routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keyboard = cls._create_rma_product(name="Keyboard Module", lst_price=40.0)
        cls.env['stock.quant']._update_available_quantity(cls.keyboard, cls.stock_location, 5)
        cls.motor = cls._create_rma_product(name="Feed Motor", lst_price=75.0)
        # A resupply route of our own: a pull from a vendor location, as a
        # purchase would bring the goods, without the purchase module.
        vendors = cls.env.ref('stock.stock_location_suppliers')
        cls.resupply = cls.env['stock.route'].create({
            'name': "Resupply Parts", 'product_selectable': True,
            'rule_ids': [Command.create({
                'name': "Vendors to Stock", 'action': 'pull', 'procure_method': 'make_to_stock',
                'location_src_id': vendors.id, 'location_dest_id': cls.stock_location.id,
                'picking_type_id': cls.warehouse.in_type_id.id, 'warehouse_id': cls.warehouse.id,
            })],
        })
        cls.motor.route_ids = [Command.set(cls.resupply.ids)]

    def _repair_with_part(self, part, qty):
        return self.env['repair.order'].with_user(self.technician).create({
            'partner_id': self.customer.id, 'product_id': self.product_delivery.id,
            'move_ids': [Command.create({
                'product_id': part.id, 'product_uom_qty': qty, 'repair_line_type': 'add',
            })],
        })

    def _quant(self, product):
        return self.env['stock.quant']._gather(product, self.stock_location)

    def test_parts_are_reserved_on_confirmation_and_consumed_when_done(self):
        repair = self._repair_with_part(self.keyboard, 2)
        part = repair.move_ids
        self.assertEqual(sum(self._quant(self.keyboard).mapped('reserved_quantity')), 0.0)
        repair.action_validate()
        self.assertEqual(part.state, 'assigned')
        self.assertEqual(sum(self._quant(self.keyboard).mapped('reserved_quantity')), 2.0)
        self.assertEqual(self.keyboard.qty_available, 5.0, "reserved, not consumed yet")
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(part.state, 'done')
        self.assertEqual(self.keyboard.qty_available, 3.0)
        self.assertEqual(sum(self._quant(self.keyboard).mapped('reserved_quantity')), 0.0)

    def test_missing_part_is_replenished_by_its_route_in_one_click(self):
        repair = self._repair_with_part(self.motor, 2)
        repair.action_validate()
        part = repair.move_ids
        self.assertEqual(part.state, 'confirmed', "no motor in stock")
        self.assertEqual(repair.parts_availability_state, 'late')
        repair.with_user(self.technician).action_aftersales_replenish_parts()
        incoming = self.env['stock.move'].search([
            ('product_id', '=', self.motor.id), ('location_dest_id', '=', self.stock_location.id),
            ('picking_code', '=', 'incoming'),
        ])
        self.assertEqual(incoming.product_uom_qty, 2.0)
        self.assertEqual(incoming.rule_id.route_id, self.resupply)
        part.invalidate_recordset()
        with self.assertRaisesText(UserError, "Nothing is missing"):
            part.with_user(self.technician).action_aftersales_replenish()
        incoming.picking_id.button_validate()
        repair.action_assign()
        self.assertEqual(part.state, 'assigned', "the motor that arrived is reserved for the repair")

    def test_a_part_its_routes_cannot_bring_is_refused_clearly(self):
        gear = self._create_rma_product(name="Rare Gear")
        gear.route_ids = self.env['stock.route'].create({'name': "Dead End", 'product_selectable': True})
        repair = self._repair_with_part(gear, 1)
        repair.action_validate()
        with self.assertRaisesText(UserError, "Rare Gear"):
            repair.move_ids.with_user(self.technician).action_aftersales_replenish()
        self.assertFalse(self.env['stock.move'].search([
            ('product_id', '=', gear.id), ('repair_id', '=', False),
        ]))

    def test_parts_of_a_draft_repair_are_not_replenished(self):
        repair = self._repair_with_part(self.motor, 1)
        with self.assertRaisesText(UserError, "confirm the repair first"):
            repair.move_ids.with_user(self.technician).action_aftersales_replenish()

    def test_parts_to_order_list_shows_each_part_with_its_availability(self):
        repair = self._repair_with_part(self.motor, 2)
        repair.action_validate()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_repair.stock_move_action_repair_parts',
        )
        parts = self.env['stock.move'].with_user(self.technician).web_search_read(
            [*safe_eval(action['domain']), ('repair_id', '=', repair.id)],
            {'product_id': {'fields': {'display_name': {}}}, 'forecast_availability': {}, 'state': {}},
        )
        self.assertEqual(parts['length'], 1)
        self.assertEqual(parts['records'][0]['forecast_availability'], -2.0, "two short")


@tagged('post_install', '-at_install')
class TestRepairDocuments(AftersalesRepairCommon):
    """Manuals and procedures are product documents an operation opens."""

    def _document(self, product, kind, name, variant=False):
        return self.env['product.document'].create({
            'name': name, 'datas': base64.b64encode(b"%PDF-1.4 manual"),
            'res_model': 'product.product' if variant else 'product.template',
            'res_id': product.id if variant else product.product_tmpl_id.id,
            'aftersales_kind': kind,
        })

    def test_operation_opens_the_manuals_and_procedures_of_its_products(self):
        service = self.env['product.product'].create({'name': "Keyboard Replacement", 'type': 'service'})
        repair = self.env['repair.order'].create({
            'partner_id': self.customer.id, 'product_id': self.product_serial.id,
        })
        operation = self.env['aftersales.repair.operation'].create({
            'repair_id': repair.id, 'product_id': service.id,
        })
        manual = self._document(self.product_serial, 'manual', "User Manual")
        variant_manual = self._document(self.product_serial, 'manual', "Wiring", variant=True)
        procedure = self._document(service, 'procedure', "Keyboard Swap Procedure")
        self._document(self.product_serial, False, "Brochure")
        self._document(self.product_order, 'manual', "Chair Manual")

        operation = operation.with_user(self.technician)
        for action, expected in ((operation.action_view_manuals(), manual | variant_manual),
                                 (operation.action_view_procedures(), procedure)):
            with self.subTest(action=action['display_name']):
                found = self.env['product.document'].with_user(self.technician).search(action['domain'])
                self.assertEqual(found, expected)
