from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRepairCommon


@tagged('post_install', '-at_install')
class TestRepairUnrepairable(AftersalesRepairCommon):
    """A unit that cannot be repaired is replaced through the return instead."""

    def test_unrepairable_unit_is_replaced_through_the_return(self):
        rma = self._received_repair_rma([(self.product_serial, 1, self.serials[0])], serials=self.serials[0])
        rma.with_user(self.technician).action_create_repair()
        repair = rma.repair_ids
        repair.with_user(self.technician).action_aftersales_unrepairable()

        self.assertRecordValues(repair, [{'state': 'cancel', 'aftersales_unrepairable': True}])
        line = rma.line_ids
        self.assertEqual(line.resolution, 'replace')
        self.assertIn("could not be repaired", rma.message_ids[0].body)
        self.assertIn(' replace ', rma.pending_actions)
        rma.with_user(self.agent).action_replace()
        delivery = self._validate_delivery(rma)
        self.assertEqual(delivery.move_ids.product_id, self.product_serial)
        self.assertEqual(line.qty_delivered, 1.0)
        self.assertEqual(rma.state, 'done')

    def test_unrepairable_keeps_the_line_when_other_units_are_repaired(self):
        order = self._deliver_order([(self.product_delivery, 2)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'repair', None)], team_id=self.team.id)
        rma.action_approve()
        self._receive(rma)
        rma.with_user(self.technician).action_create_repair()
        first = rma.repair_ids
        first.product_qty = 1.0
        rma.with_user(self.technician).action_create_repair()
        second = rma.repair_ids - first
        self._repair(first)
        with self.assertRaisesText(UserError, "keeps its resolution"):
            second.with_user(self.technician).action_aftersales_unrepairable()
        self.assertEqual(second.state, 'draft', "nothing was cancelled")
        self.assertEqual(rma.line_ids.resolution, 'repair')

    def test_a_done_repair_cannot_be_found_unrepairable(self):
        rma = self._received_repair_rma([(self.product_serial, 1, self.serials[0])], serials=self.serials[0])
        rma.with_user(self.technician).action_create_repair()
        self._repair(rma.repair_ids)
        with self.assertRaisesText(UserError, "only a repair not done yet"):
            rma.repair_ids.with_user(self.technician).action_aftersales_unrepairable()
        self.assertEqual(rma.line_ids.resolution, 'repair')

    def test_unrepairable_repair_reset_to_draft_no_longer_fits_its_replaced_line(self):
        rma = self._received_repair_rma([(self.product_serial, 1, self.serials[0])], serials=self.serials[0])
        rma.with_user(self.technician).action_create_repair()
        repair = rma.repair_ids
        repair.with_user(self.technician).action_aftersales_unrepairable()
        with self.assertRaisesText(Exception, "does not repair"):
            repair.with_user(self.technician).action_repair_cancel_draft()
