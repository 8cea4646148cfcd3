from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import AftersalesRepairCommon

MUTED = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestRepairOperations(AftersalesRepairCommon):
    """Operations, their statuses, the log of every change and the timing it gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.status_start = cls.env.ref('aftersales_repair.status_start')
        cls.status_testing = cls.env.ref('aftersales_repair.status_testing')
        cls.status_finished = cls.env.ref('aftersales_repair.status_finished')
        cls.keyboard = cls.env['product.product'].create({
            'name': "Keyboard Replacement", 'type': 'service', 'list_price': 60.0,
            'aftersales_standard_minutes': 45.0, 'uom_id': cls.env.ref('uom.product_uom_unit').id,
        })
        cls.repair = cls.env['repair.order'].create({
            'partner_id': cls.customer.id, 'product_id': cls.product_delivery.id,
        })

    def _operation(self, **values):
        return self.env['aftersales.repair.operation'].with_user(self.technician).create({
            'repair_id': self.repair.id, 'product_id': self.keyboard.id, **values,
        })

    def _set_status(self, operation, status, when):
        with freeze_time(when):
            operation.with_user(self.technician).status_id = status
            operation.env.flush_all()

    def test_operation_takes_unit_standard_time_and_price_from_its_service(self):
        operation = self._operation(quantity=2.0)
        self.assertRecordValues(operation, [{
            'name': "Keyboard Replacement", 'product_uom_id': self.keyboard.uom_id.id,
            'standard_minutes': 45.0, 'price_unit': 60.0, 'price_subtotal': 120.0,
            'standard_duration': 90.0, 'technician_id': self.technician.id,
            'status_id': False, 'date_start': False,
        }])
        self.assertEqual(self.repair.aftersales_operation_ids, operation)

    def test_every_status_change_is_logged_with_user_and_time(self):
        operation = self._operation()
        self._set_status(operation, self.status_start, '2026-03-02 09:00:00')
        with freeze_time('2026-03-02 09:20:00'):
            operation.with_user(self.repair_manager).status_id = self.status_testing
        self._set_status(operation, self.status_testing, '2026-03-02 09:30:00')
        self.assertRecordValues(operation.status_log_ids, [
            {'status_id': self.status_start.id, 'user_id': self.technician.id,
             'date': datetime(2026, 3, 2, 9, 0), 'is_final': False},
            {'status_id': self.status_testing.id, 'user_id': self.repair_manager.id,
             'date': datetime(2026, 3, 2, 9, 20), 'is_final': False},
        ])
        self.assertEqual(len(operation.status_log_ids), 2, "setting the status it has logs nothing")

    def test_start_and_end_come_from_the_log_and_time_is_compared_with_standard(self):
        operation = self._operation()
        self._set_status(operation, self.status_start, '2026-03-02 09:00:00')
        self._set_status(operation, self.status_testing, '2026-03-02 09:20:00')
        self.assertRecordValues(operation, [{
            'date_start': datetime(2026, 3, 2, 9, 0), 'date_end': False, 'is_done': False,
            'duration': 0.0, 'duration_variance': 0.0,
        }])
        self._set_status(operation, self.status_finished, '2026-03-02 10:05:00')
        self.assertRecordValues(operation, [{
            'date_start': datetime(2026, 3, 2, 9, 0), 'date_end': datetime(2026, 3, 2, 10, 5),
            'is_done': True, 'duration': 65.0, 'standard_duration': 45.0, 'duration_variance': 20.0,
        }])
        self.assertEqual(self.repair.aftersales_duration, 65.0)
        self.assertEqual(self.repair.aftersales_standard_duration, 45.0)

    def test_reopened_operation_counts_only_the_worked_periods(self):
        operation = self._operation()
        self._set_status(operation, self.status_start, '2026-03-02 09:00:00')
        self._set_status(operation, self.status_finished, '2026-03-02 09:30:00')
        self._set_status(operation, self.status_testing, '2026-03-03 14:00:00')
        self.assertRecordValues(operation, [{'date_end': False, 'is_done': False, 'duration': 30.0}])
        self._set_status(operation, self.status_finished, '2026-03-03 14:10:00')
        self.assertRecordValues(operation, [{
            'date_start': datetime(2026, 3, 2, 9, 0), 'date_end': datetime(2026, 3, 3, 14, 10),
            'duration': 40.0,
        }])

    def test_status_edited_while_in_use_rewrites_no_history(self):
        operation = self._operation()
        self._set_status(operation, self.status_start, '2026-03-02 09:00:00')
        self._set_status(operation, self.status_finished, '2026-03-02 09:50:00')
        self.status_finished.with_user(self.repair_manager).write({'name': "Closed", 'is_final': False})
        self.status_start.with_user(self.repair_manager).is_final = True
        operation.env.flush_all()
        self.assertRecordValues(operation, [{
            'date_start': datetime(2026, 3, 2, 9, 0), 'date_end': datetime(2026, 3, 2, 9, 50),
            'is_done': True, 'duration': 50.0,
        }])
        self.assertEqual(operation.status_id.name, "Closed")
        self.assertEqual(operation.status_log_ids.mapped('is_final'), [False, True])

    def test_used_status_cannot_be_deleted_but_archived(self):
        operation = self._operation()
        self._set_status(operation, self.status_testing, '2026-03-02 09:00:00')
        with self.assertRaisesText(UserError, "archive the statuses"):
            self.status_testing.with_user(self.repair_manager).unlink()
        self.status_testing.with_user(self.repair_manager).active = False
        self.assertEqual(operation.status_id, self.status_testing)
        unused = self.env['aftersales.repair.status'].create({'name': "Never Used"})
        unused.with_user(self.repair_manager).unlink()
        self.assertFalse(unused.exists())

    def test_only_managers_edit_the_statuses(self):
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env['aftersales.repair.status'].with_user(self.technician).create({'name': "Mine"})
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.status_start.with_user(self.technician).is_final = True
        self.assertFalse(self.status_start.is_final)

    def test_status_history_cannot_be_rewritten(self):
        operation = self._operation()
        self._set_status(operation, self.status_start, '2026-03-02 09:00:00')
        log = operation.status_log_ids.with_user(self.technician)
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            log.date = '2026-03-01 09:00:00'
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            log.unlink()
        self.assertEqual(operation.date_start, datetime(2026, 3, 2, 9, 0))

    def test_operations_of_a_cancelled_repair_keep_their_status(self):
        operation = self._operation()
        self.repair.action_repair_cancel()
        with self.assertRaisesText(UserError, "is cancelled"):
            operation.with_user(self.technician).status_id = self.status_start
        self.assertFalse(operation.status_log_ids)

    def test_quantity_and_standard_time_must_make_sense(self):
        for values in ({'quantity': 0.0}, {'quantity': -1.0}, {'standard_minutes': -5.0}):
            with self.subTest(**values), mute_logger('odoo.sql_db'), \
                    self.assertRaises(ValidationError):
                self._operation(**values)

    def test_workshop_board_shows_every_active_status(self):
        self._operation(status_id=self.status_testing.id)
        board = self.env['aftersales.repair.operation'].with_user(self.technician).with_context(
            read_group_expand=True,
        )
        groups = board.formatted_read_group(
            [('repair_id', '=', self.repair.id)], ['status_id'], ['__count'],
        )
        statuses = [group['status_id'][0] for group in groups if group['status_id']]
        active = self.env['aftersales.repair.status'].search([])
        self.assertEqual(statuses, active.ids)
        counts = {group['status_id'][0]: group['__count'] for group in groups if group['status_id']}
        self.assertEqual(counts[self.status_testing.id], 1)
        self.assertEqual(counts[self.status_start.id], 0)

    def test_analysis_sums_time_against_standard_by_technician(self):
        mine = self._operation()
        self._set_status(mine, self.status_start, '2026-03-02 09:00:00')
        self._set_status(mine, self.status_finished, '2026-03-02 10:00:00')
        theirs = self._operation(technician_id=self.repair_manager.id)
        self._set_status(theirs, self.status_start, '2026-03-02 09:00:00')
        self._set_status(theirs, self.status_finished, '2026-03-02 09:30:00')
        groups = self.env['aftersales.repair.operation']._read_group(
            [('repair_id', '=', self.repair.id), ('is_done', '=', True)], ['technician_id'],
            ['duration:sum', 'standard_duration:sum', 'duration_variance:sum'],
        )
        result = {technician: tuple(sums) for technician, *sums in groups}
        self.assertEqual(result[self.technician], (60.0, 45.0, 15.0))
        self.assertEqual(result[self.repair_manager], (30.0, 45.0, -15.0))
