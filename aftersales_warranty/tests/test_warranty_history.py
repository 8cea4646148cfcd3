from datetime import date

from odoo.tests import tagged

from .common import AftersalesWarrantyCommon

REPORT = 'aftersales_repair.action_report_lot_history'


@tagged('post_install', '-at_install')
class TestWarrantyHistory(AftersalesWarrantyCommon):
    """A serial's history shows its registration, its claims and its
    maintenance visits next to its repairs, to warranty users only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.serial = cls.serials[0]
        cls.registration = cls._register_unit(cls.serial)

    @classmethod
    def _register_unit(cls, serial):
        return cls.env['aftersales.warranty'].create({
            'partner_id': cls.customer.id, 'product_id': cls.product_serial.id,
            'lot_id': serial.id, 'warranty_start': date(2026, 1, 5),
        })

    def _claims(self, serial, count):
        return self.env['aftersales.warranty.claim'].create([{
            'partner_id': self.customer.id, 'lot_id': serial.id,
            'problem': f"Prints blank pages ({n})", 'date': date(2026, 3, 2),
        } for n in range(count)])

    def _repair(self, serial):
        return self.env['repair.order'].create({
            'partner_id': self.customer.id, 'product_id': self.product_serial.id, 'lot_id': serial.id,
        })

    def _visit(self):
        contract = self.env['aftersales.warranty.contract'].create({
            'partner_id': self.customer.id, 'date_start': date(2026, 1, 1), 'date_end': date(2026, 12, 31),
            'fee': 50.0, 'registration_ids': [(6, 0, self.registration.ids)],
        })
        contract.action_confirm()
        schedule = self.env['aftersales.warranty.maintenance'].create({
            'name': "Yearly printer service", 'scope': 'registration',
            'registration_id': self.registration.id, 'date_next': date(2026, 6, 1),
        })
        return schedule._plan_due(today=date(2026, 6, 1))

    def test_history_prints_registration_claim_repair_and_visit(self):
        claim = self._claims(self.serial, 1)
        repair = self._repair(self.serial)
        visit = self._visit()
        self.assertEqual(len(visit), 1)
        html = self.env['ir.actions.report']._render_qweb_html(REPORT, self.serial.ids)[0].decode()
        for reference in (self.registration.name, claim.name, repair.name, visit.name):
            self.assertIn(reference, html)
        events = self.serial._aftersales_history_events()
        self.assertEqual([e['date'] for e in events], sorted(e['date'] for e in events))
        claim_event = next(e for e in events if e['record'] == claim)
        self.assertIn("Repair", claim_event['description'])

    def test_registration_prints_the_history_of_its_serial(self):
        action = self.registration.with_user(self.warranty_user).action_print_history()
        self.assertEqual(action['report_name'], 'aftersales_repair.report_lot_history')
        self.assertEqual(action['context']['active_ids'], self.serial.ids)

    def test_a_user_without_warranty_rights_sees_no_registration_nor_claim(self):
        claim = self._claims(self.serial, 1)
        repair = self._repair(self.serial)
        visit = self._visit()
        events = self.serial.with_user(self.technician)._aftersales_history_events()
        references = {e['reference'] for e in events}
        self.assertIn(repair.name, references)
        for hidden in (self.registration.name, claim.name, visit.name):
            self.assertNotIn(hidden, references)

    def test_history_does_not_grow_with_the_claims(self):
        small = self.serial
        large = self.serials[1]
        self._register_unit(large)
        self._claims(small, 2)
        self._claims(large, 6)
        small, large = small.with_user(self.warranty_manager), large.with_user(self.warranty_manager)
        claims = [e for e in large._aftersales_history_events() if e['kind'] == "Warranty Claim"]
        self.assertEqual(len(claims), 6)

        def queries(serial):
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            serial._aftersales_history_events()
            return self.cr.sql_log_count - before

        for serial in (small, large):  # warm the caches
            queries(serial)
        self.assertEqual(queries(small), queries(large))
