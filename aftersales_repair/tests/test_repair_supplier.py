from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRepairCommon


@tagged('post_install', '-at_install')
class TestRepairSupplier(AftersalesRepairCommon):
    """A unit in repair goes to its supplier and comes back on stock transfers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env['res.partner'].create({'name': "Printer Works Ltd"})
        cls.other_supplier = cls.env['res.partner'].create({'name': "Spare Vendor"})
        cls.env['product.supplierinfo'].create([
            {'partner_id': cls.supplier.id, 'product_tmpl_id': cls.product_serial.product_tmpl_id.id,
             'sequence': 1},
            {'partner_id': cls.other_supplier.id, 'product_tmpl_id': cls.product_serial.product_tmpl_id.id,
             'sequence': 2},
        ])
        cls.suppliers_location = cls.env.ref('stock.stock_location_suppliers')

    def _repair_of_return(self):
        rma = self._received_repair_rma([(self.product_serial, 1, self.serials[0])], serials=self.serials[0])
        rma.with_user(self.technician).action_create_repair()
        return rma.repair_ids.with_user(self.technician)

    def _validate(self, picking):
        picking.move_ids.picked = True
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, 'done')

    def _qty_at(self, location):
        return sum(self.env['stock.quant']._gather(
            self.product_serial, location, lot_id=self.serials[0], strict=True,
        ).mapped('quantity'))

    def test_unit_goes_to_the_supplier_and_comes_back(self):
        repair = self._repair_of_return()
        self.assertEqual(repair.aftersales_supplier_id, self.supplier, "the first vendor by default")
        location = repair.location_id
        self.assertEqual(self._qty_at(location), 1.0)

        repair.action_aftersales_send_to_supplier()
        sent = repair.aftersales_supplier_picking_ids
        self.assertRecordValues(sent, [{
            'picking_type_code': 'outgoing', 'partner_id': self.supplier.id,
            'location_id': location.id, 'location_dest_id': self.suppliers_location.id,
            'aftersales_repair_id': repair.id,
        }])
        self.assertEqual(sent.move_ids.move_line_ids.lot_id, self.serials[0], "the very unit of the repair")
        self.assertTrue(repair.aftersales_at_supplier)
        self._validate(sent)
        self.assertEqual(self._qty_at(location), 0.0)
        self.assertEqual(sent.move_ids.move_line_ids.location_dest_id, self.suppliers_location)

        repair.action_aftersales_receive_from_supplier()
        received = repair.aftersales_supplier_picking_ids - sent
        self.assertRecordValues(received, [{
            'picking_type_code': 'incoming', 'partner_id': self.supplier.id,
            'location_id': self.suppliers_location.id, 'location_dest_id': location.id,
        }])
        self.assertEqual(received.move_ids.move_line_ids.lot_id, self.serials[0])
        self._validate(received)
        self.assertEqual(self._qty_at(location), 1.0, "the unit is back where the repair holds it")
        self.assertFalse(repair.aftersales_at_supplier)
        self.assertEqual(repair.aftersales_supplier_picking_count, 2)
        action = repair.action_aftersales_view_supplier_pickings()
        self.assertEqual(self.env['stock.picking'].search(action['domain']), sent | received)

    def test_chosen_supplier_is_used(self):
        repair = self._repair_of_return()
        repair.aftersales_supplier_id = self.other_supplier
        repair.action_aftersales_send_to_supplier()
        self.assertEqual(repair.aftersales_supplier_picking_ids.partner_id, self.other_supplier)

    def test_a_unit_at_the_supplier_is_not_sent_again(self):
        repair = self._repair_of_return()
        repair.action_aftersales_send_to_supplier()
        with self.assertRaisesText(UserError, "already at the supplier"):
            repair.action_aftersales_send_to_supplier()
        self.assertEqual(repair.aftersales_supplier_picking_count, 1)

    def test_nothing_is_received_before_it_is_sent(self):
        repair = self._repair_of_return()
        with self.assertRaisesText(UserError, "nothing to receive"):
            repair.action_aftersales_receive_from_supplier()
        self.assertFalse(repair.aftersales_supplier_picking_ids)

    def test_a_done_or_cancelled_repair_sends_nothing(self):
        repair = self._repair_of_return()
        self._repair(repair)
        with self.assertRaisesText(UserError, "no longer goes to a supplier"):
            repair.action_aftersales_send_to_supplier()
        other = self.env['repair.order'].with_user(self.technician).create({
            'partner_id': self.customer.id, 'product_id': self.product_serial.id,
        })
        other.action_repair_cancel()
        with self.assertRaisesText(UserError, "no longer goes to a supplier"):
            other.action_aftersales_send_to_supplier()
        self.assertFalse((repair | other).aftersales_supplier_picking_ids)
