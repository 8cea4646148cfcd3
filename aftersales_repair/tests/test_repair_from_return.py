from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesRepairCommon


@tagged('post_install', '-at_install')
class TestRepairFromReturn(AftersalesRepairCommon):
    """A return line settled by repair: received, repaired, delivered back."""

    def _serial_rma(self, count=1):
        """A return of ``count`` serial-numbered units on one line, the
        warehouse scanning their serial numbers on arrival."""
        serials = self.serials[:count]
        order = self._deliver_order([(self.product_serial, count)], serials=serials)
        rma = self._create_rma(
            order, [(self.product_serial, count, 'repair', serials if count == 1 else None)],
            team_id=self.team.id,
        )
        rma.action_approve()
        receipt = rma.picking_ids
        receipt.move_ids.lot_ids = serials
        receipt.move_ids.picked = True
        receipt.with_user(self.warehouse_user).button_validate()
        self.assertEqual(rma.line_ids.qty_received, count)
        return rma, serials

    def test_create_repair_opens_one_repair_per_received_serial(self):
        rma, serials = self._serial_rma(count=2)
        self.assertIn(' repair ', rma.pending_actions)
        receipt = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'incoming')
        rma.with_user(self.technician).action_create_repair()
        repairs = rma.repair_ids
        self.assertRecordValues(repairs.sorted(lambda r: r.lot_id.name), [{
            'product_id': self.product_serial.id, 'lot_id': lot.id, 'product_qty': 1.0,
            'partner_id': self.customer.id, 'picking_id': receipt.id,
            'product_location_src_id': receipt.location_dest_id.id,
            'picking_type_id': self.warehouse.repair_type_id.id,
            'aftersales_rma_id': rma.id, 'state': 'draft',
        } for lot in serials])
        self.assertEqual(repairs.aftersales_rma_line_id, rma.line_ids)
        self.assertEqual(rma.repair_count, 2)
        self.assertEqual(rma.line_ids.qty_in_repair, 2.0)
        self.assertNotIn(' repair ', rma.pending_actions)
        with self.assertRaisesText(UserError, "Nothing waits"):
            rma.with_user(self.technician).action_create_repair()
        self.assertEqual(len(rma.repair_ids), 2)

    def test_repaired_unit_goes_back_on_a_delivery_of_the_return(self):
        rma, serials = self._serial_rma()
        rma.with_user(self.technician).action_create_repair()
        repair = rma.repair_ids
        self._repair(repair)
        self.assertEqual(rma.state, 'received', "repaired but still at our place")
        self.assertIn(' repaired ', rma.pending_actions)
        self.assertTrue(repair.aftersales_to_send_back)

        repair.with_user(self.technician).action_aftersales_send_back()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        self.assertEqual(delivery.aftersales_rma_id, rma)
        self.assertEqual(delivery.partner_id, rma.partner_shipping_id)
        self.assertEqual(delivery.move_ids.lot_ids, serials, "the very unit repaired goes back")
        self.assertNotIn(' repaired ', rma.pending_actions)
        self.assertFalse(repair.aftersales_to_send_back)
        self._validate_delivery(rma)

        line = rma.line_ids
        self.assertEqual(line._get_qty_repaired(), 1.0)
        self.assertEqual(rma.state, 'done')
        self.assertEqual(self.product_serial.with_context(lot_id=serials.id).qty_available, 0.0)

    def test_repaired_units_leave_with_the_goods_sent_back_as_they_are(self):
        order = self._deliver_order([(self.product_delivery, 3), (self.product_order, 2)])
        rma = self._create_rma(order, [
            (self.product_delivery, 3, 'repair', None), (self.product_order, 2, 'return', None),
        ], team_id=self.team.id)
        rma.action_approve()
        self._receive(rma)
        rma.with_user(self.technician).action_create_repair()
        self.assertEqual(rma.repair_ids.product_qty, 3.0)
        self._repair(rma.repair_ids)
        rma.with_user(self.agent).action_return_repaired()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        self.assertEqual(len(delivery), 1)
        self.assertEqual(
            sorted((m.product_id, m.product_uom_qty) for m in delivery.move_ids),
            sorted([(self.product_delivery, 3.0), (self.product_order, 2.0)]),
        )
        self._validate_delivery(rma)
        self.assertEqual(rma.state, 'done')

    def test_resolution_is_kept_once_a_repair_holds_the_unit(self):
        rma, _serials = self._serial_rma()
        rma.with_user(self.technician).action_create_repair()
        self.assertTrue(rma.line_ids.is_resolution_locked)
        with self.assertRaisesText(UserError, "already being settled as Repair"):
            rma.line_ids.with_user(self.agent).resolution = 'refund'

    def test_cancelled_repair_settles_nothing(self):
        rma, _serials = self._serial_rma()
        rma.with_user(self.technician).action_create_repair()
        rma.repair_ids.with_user(self.technician).action_repair_cancel()
        line = rma.line_ids
        self.assertEqual(line.qty_in_repair, 0.0)
        self.assertFalse(line.is_resolution_locked)
        self.assertIn(' repair ', rma.pending_actions, "the unit waits for a repair again")
        line.with_user(self.agent).resolution = 'return'
        self.assertEqual(line.resolution, 'return')

    def test_repair_is_not_opened_before_the_goods_arrive(self):
        order = self._deliver_order([(self.product_delivery, 1)])
        rma = self._create_rma(order, [(self.product_delivery, 1, 'repair', None)], team_id=self.team.id)
        rma.action_approve()
        with self.assertRaisesText(UserError, "cannot be repaired"):
            rma.with_user(self.technician).action_create_repair()
        self.assertFalse(rma.repair_ids)

    def test_agent_without_repair_rights_cannot_open_repairs(self):
        rma, _serials = self._serial_rma()
        with mute_logger('odoo.addons.base.models.ir_model'), self.assertRaises(AccessError):
            rma.with_user(self.agent).action_create_repair()
        self.assertFalse(rma.repair_ids)

    def test_repair_cannot_hold_more_than_came_back(self):
        order = self._deliver_order([(self.product_delivery, 2)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'repair', None)], team_id=self.team.id)
        rma.action_approve()
        self._receive(rma)
        rma.with_user(self.technician).action_create_repair()
        with self.assertRaisesText(ValidationError, "repairs would hold 3.0"):
            rma.repair_ids.with_user(self.technician).product_qty = 3.0
        with self.assertRaisesText(ValidationError, "does not repair"):
            rma.repair_ids.with_user(self.technician).product_id = self.product_order

    def test_a_repair_of_another_customer_cannot_settle_the_line(self):
        rma, _serials = self._serial_rma()
        other = self.env['res.partner'].create({'name': "Someone Else"})
        with self.assertRaisesText(ValidationError, "does not repair"):
            self.env['repair.order'].with_user(self.technician).create({
                'product_id': self.product_serial.id, 'partner_id': other.id,
                'lot_id': rma.line_ids.lot_id.id, 'aftersales_rma_line_id': rma.line_ids.id,
            })

    def test_repairs_open_by_themselves_on_receipt_when_set(self):
        self.company.aftersales_repair_auto_create = True
        rma, serials = self._serial_rma(count=2)
        self.assertEqual(rma.repair_ids.lot_id, serials)
        self.assertNotIn(' repair ', rma.pending_actions)

    def test_only_the_units_not_in_repair_get_a_new_repair(self):
        order = self._deliver_order([(self.product_delivery, 3)])
        rma = self._create_rma(order, [(self.product_delivery, 3, 'repair', None)], team_id=self.team.id)
        rma.action_approve()
        self._receive(rma)
        rma.with_user(self.technician).action_create_repair()
        rma.repair_ids.product_qty = 1.0
        self.assertIn(' repair ', rma.pending_actions)
        rma.with_user(self.technician).action_create_repair()
        self.assertEqual(sorted(rma.repair_ids.mapped('product_qty')), [1.0, 2.0])
        self.assertEqual(rma.line_ids.qty_in_repair, 3.0)
