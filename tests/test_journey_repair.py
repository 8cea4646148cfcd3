"""Journey of a repair in the web client, in headless Chromium: the
technician repairs the unit a return brought in, moving its operation
through statuses and consuming the part; once the customer accepted the
quote, the unit goes back to them."""

from odoo.addons.aftersales_repair.tests.common import AftersalesRepairCommon
from odoo.tests import HttpCase, tagged


@tagged('post_install', '-at_install')
class TestJourneyRepair(AftersalesRepairCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part = cls._create_rma_product(name="Journey Keyboard Module", lst_price=40.0)
        cls.env['stock.quant']._update_available_quantity(cls.part, cls.stock_location, 5)
        cls.env['product.product'].create({
            'name': "Journey Keyboard Swap", 'type': 'service', 'list_price': 60.0,
            'aftersales_standard_minutes': 45.0,
        })

    def _received_repair_return(self):
        serial = self.serials[0]
        order = self._deliver_order([(self.product_serial, 1)], serials=serial)
        rma = self._create_rma(order, [(self.product_serial, 1, 'repair', serial)], team_id=self.team.id)
        rma.action_approve()
        receipt = rma.picking_ids
        receipt.move_ids.lot_ids = serial
        receipt.move_ids.picked = True
        receipt.with_user(self.warehouse_user).button_validate()
        return rma

    def test_technician_repairs_the_returned_unit_and_sends_it_back(self):
        rma = self._received_repair_return()
        self.start_tour(f'/odoo/action-aftersales_rma.aftersales_rma_action/{rma.id}',
                        'aftersales_journey_repair', login=self.technician.login)
        repair = rma.repair_ids
        self.assertRecordValues(repair, [{'state': 'under_repair', 'lot_id': self.serials[0].id}])
        self.start_tour('/odoo/action-aftersales_repair.aftersales_repair_operation_action_board',
                        'aftersales_journey_repair_board', login=self.technician.login)
        self.start_tour(f'/odoo/action-aftersales_repair.repair_order_action/{repair.id}',
                        'aftersales_journey_repair_end', login=self.technician.login)
        self.assertEqual(repair.state, 'done')
        operation = repair.aftersales_operation_ids
        self.assertEqual(operation.status_id, self.env.ref('aftersales_repair.status_finished'))
        self.assertEqual(
            operation.status_log_ids.status_id.mapped("name"), ["Testing", "Finished"],
            "Each status the operation went through is logged",
        )
        part_move = repair.move_ids.filtered(lambda move: move.product_id == self.part)
        self.assertEqual(part_move.state, 'done', "The part is consumed")

        # The customer accepted the quote (the portal's journey signs it).
        repair.with_user(self.repair_manager).sudo()._aftersales_confirm_quote()
        self.assertEqual(repair.aftersales_quote_state, 'confirmed')

        self.start_tour(f'/odoo/action-aftersales_repair.repair_order_action/{repair.id}',
                        'aftersales_journey_repair_send_back', login=self.technician.login)
        delivery = rma.picking_ids.filtered(lambda picking: picking.picking_type_code == 'outgoing')
        self.assertEqual(delivery.move_ids.product_id, self.product_serial)
        self.assertEqual(delivery.partner_id, rma.partner_shipping_id or rma.partner_id)
