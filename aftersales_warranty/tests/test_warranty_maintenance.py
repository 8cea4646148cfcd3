from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyMaintenance(AftersalesWarrantyCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Type = cls.env['aftersales.warranty.equipment.type']
        cls.printers = Type.create({'name': "Printers", 'company_id': cls.company.id})
        cls.scanners = Type.create({'name': "Scanners", 'company_id': cls.company.id})
        cls.covered = cls.env['aftersales.warranty'].create([{
            'partner_id': cls.customer.id, 'product_id': cls.product_serial.id, 'lot_id': lot.id,
            'equipment_type_id': cls.printers.id, 'location': "Second floor",
        } for lot in cls.serials[:2]])
        # Same type, but under a contract not running: not maintained.
        cls.uncovered = cls.env['aftersales.warranty'].create({
            'partner_id': cls.partner_b.id, 'product_id': cls.product_serial.id,
            'lot_id': cls.serials[2].id, 'equipment_type_id': cls.printers.id,
        })
        cls.scanner = cls.env['aftersales.warranty'].create({
            'partner_id': cls.customer.id, 'product_id': cls.product_serial.id,
            'lot_id': cls.serials[3].id, 'equipment_type_id': cls.scanners.id,
        })
        Contract = cls.env['aftersales.warranty.contract']
        contract_values = {'date_start': date(2026, 1, 1), 'date_end': date(2026, 12, 31), 'fee': 50.0}
        Contract.create({
            'partner_id': cls.customer.id, **contract_values,
            'registration_ids': [(6, 0, (cls.covered | cls.scanner).ids)],
        }).action_confirm()
        Contract.create({
            'partner_id': cls.partner_b.id, **contract_values,
            'registration_ids': [(6, 0, cls.uncovered.ids)],
        })
        cls.work_order = cls.env.ref('aftersales_case.type_work_order')

    def _schedule(self, **values):
        return self.env['aftersales.warranty.maintenance'].create({
            'name': "Printer service", 'equipment_type_id': self.printers.id,
            'interval_months': 6, 'date_next': date(2026, 3, 10), 'lead_days': 7,
            'team_id': self.team.id,
            **values,
        })

    def test_by_equipment_type_plans_covered_units_once(self):
        schedule = self._schedule()
        self.assertFalse(schedule._plan_due(today=date(2026, 3, 2)), "planned 7 days ahead, not 8")
        cases = schedule._plan_due(today=date(2026, 3, 3))
        self.assertEqual(cases.aftersales_lot_id, self.serials[:2])
        self.assertEqual(set(cases.mapped('type_id')), {self.work_order})
        self.assertEqual(set(cases.mapped('partner_id')), {self.customer})
        self.assertEqual(set(cases.mapped('date_deadline')), {date(2026, 3, 10)})
        self.assertTrue(all(case.planned_start for case in cases))
        self.assertEqual(cases.aftersales_maintenance_id, schedule)
        self.assertEqual(schedule.date_last_planned, date(2026, 3, 10))
        self.assertEqual(schedule.date_next, date(2026, 9, 10))
        self.assertEqual(schedule.case_count, 2)
        # Later runs before the next lead time plan nothing more.
        self.assertFalse(schedule._plan_due(today=date(2026, 3, 3)))
        self.assertFalse(schedule._plan_due(today=date(2026, 9, 2)))
        self.assertEqual(len(schedule._plan_due(today=date(2026, 9, 3))), 2)
        self.assertEqual(schedule.case_count, 4)

    def test_by_unit_plans_that_unit(self):
        schedule = self._schedule(
            scope='registration', registration_id=self.scanner.id, equipment_type_id=False,
        )
        cases = schedule._plan_due(today=date(2026, 3, 10))
        self.assertEqual(cases.aftersales_lot_id, self.serials[3])
        self.assertEqual(cases.product_ids, self.product_serial)
        self.assertFalse(schedule._plan_due(today=date(2026, 3, 10)))

    def test_planning_queries_do_not_grow_with_units(self):
        units = self.env['aftersales.warranty'].create([{
            'partner_id': self.customer.id, 'product_id': self.product_serial.id,
            'equipment_type_id': self.scanners.id,
        } for _i in range(5)])
        self.env['aftersales.warranty.contract'].create({
            'partner_id': self.customer.id, 'date_start': date(2026, 1, 1), 'date_end': date(2026, 12, 31),
            'registration_ids': [(6, 0, units.ids)],
        }).action_confirm()
        one = self._schedule(scope='registration', registration_id=self.scanner.id)
        six = self._schedule(equipment_type_id=self.scanners.id)
        counts = []
        for schedule in (one, six):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            schedule._plan_due(today=date(2026, 3, 10))
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(six.case_count, 6)
        # The cases are made in one create: five more units, a few queries more at most.
        self.assertLessEqual(
            counts[1] - counts[0], 5 * QUERIES_PER_UNIT, f"1 unit: {counts[0]}, 6: {counts[1]}",
        )

    def test_unit_without_running_contract_not_planned(self):
        schedule = self._schedule(scope='registration', registration_id=self.uncovered.id)
        self.assertFalse(schedule._plan_due(today=date(2026, 3, 10)))
        self.assertEqual(schedule.date_next, date(2026, 9, 10), "the due date moves on all the same")

    def test_archived_schedule_not_planned(self):
        schedule = self._schedule()
        schedule.action_archive()
        self.assertFalse(schedule._plan_due(today=date(2026, 3, 10)))
        self.assertEqual(schedule.date_next, date(2026, 3, 10))

    def test_bad_inputs(self):
        with self.assertRaisesRegex(ValidationError, "needs an equipment type"):
            self._schedule(equipment_type_id=False)
        with self.assertRaisesRegex(ValidationError, "needs a unit"):
            self._schedule(scope='registration')
        with self.assertRaisesRegex(ValidationError, "after its due date"):
            self._schedule(lead_days=-1)
        with self.assertRaises(IntegrityError), mute_logger('odoo.sql_db'), self.env.cr.savepoint():
            self._schedule(interval_months=0)

    def test_access(self):
        schedule = self._schedule()
        as_user = schedule.with_user(self.warranty_user)
        self.assertEqual(as_user.date_next, date(2026, 3, 10))
        with self.assertRaises(AccessError):
            as_user.write({'interval_months': 3})
        with self.assertRaises(AccessError):
            self.env['aftersales.warranty.maintenance'].with_user(self.warranty_user).create({
                'name': "Mine", 'equipment_type_id': self.printers.id, 'date_next': date(2026, 3, 10),
            })
        with self.assertRaises(AccessError):
            schedule.with_user(self.agent).read(['name'])
        # Another company's schedules stay out of sight.
        other_company = self.env['res.company'].create({'name': "Other Co"})
        shared_type = self.env['aftersales.warranty.equipment.type'].create({'name': "Shared"})
        Schedule = self.env['aftersales.warranty.maintenance'].with_user(self.warranty_manager)
        foreign = Schedule.sudo().create({
            'name': "Theirs", 'company_id': other_company.id, 'equipment_type_id': shared_type.id,
            'date_next': date(2026, 3, 10),
        })
        self.assertEqual(Schedule.search([('id', 'in', (schedule | foreign).ids)]), schedule)


# Measured: one unit 59 queries, six units 57 (the first run warms the caches);
# the bound leaves room for a follower or a tracking value per case.
QUERIES_PER_UNIT = 4
