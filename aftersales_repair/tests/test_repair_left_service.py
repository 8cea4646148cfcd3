from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRepairCommon


@tagged('post_install', '-at_install')
class TestRepairLeftService(AftersalesRepairCommon):
    """A repaired product is marked as having left the service department."""

    def _repair_of_return(self):
        rma = self._received_repair_rma([(self.product_serial, 1, self.serials[0])], serials=self.serials[0])
        rma.with_user(self.technician).action_create_repair()
        return rma.repair_ids

    def test_repaired_product_leaves_service_now(self):
        repair = self._repair_of_return()
        self._repair(repair)
        with freeze_time('2026-03-02 16:30:00'):
            repair.with_user(self.technician).action_aftersales_left_service()
        self.assertEqual(str(repair.aftersales_left_service_date), '2026-03-02 16:30:00')
        self.assertTrue(repair._fields['aftersales_left_service_date'].tracking, "shown in the chatter")
        repairs = self.env['repair.order'].with_user(self.technician)
        self.assertIn(repair, repairs.search([('aftersales_left_service_date', '!=', False)]))
        self.assertNotIn(repair, repairs.search([('aftersales_left_service_date', '=', False)]))

    def test_a_second_click_keeps_the_first_date(self):
        repair = self._repair_of_return()
        self._repair(repair)
        with freeze_time('2026-03-02 16:30:00'):
            repair.with_user(self.technician).action_aftersales_left_service()
        with freeze_time('2026-03-04 08:00:00'):
            repair.with_user(self.technician).action_aftersales_left_service()
        self.assertEqual(str(repair.aftersales_left_service_date), '2026-03-02 16:30:00')

    def test_a_repair_not_done_cannot_leave_service(self):
        repair = self._repair_of_return()
        with self.assertRaisesText(UserError, "only a repaired product can leave service"):
            repair.with_user(self.technician).action_aftersales_left_service()
        repair.with_user(self.technician).action_validate()
        with self.assertRaisesText(UserError, "is not done"):
            repair.with_user(self.technician).action_aftersales_left_service()
        self.assertFalse(repair.aftersales_left_service_date)
