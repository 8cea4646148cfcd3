from odoo import Command
from odoo.tests import tagged

from .common import AftersalesRepairCommon

REPORT = 'aftersales_repair.action_report_lot_history'


@tagged('post_install', '-at_install')
class TestLotHistory(AftersalesRepairCommon):
    """The After-Sales History of a serial: its cases, returns, repairs and
    supplier shipments in date order, each read with the user's own rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.serial = cls.serials[0]
        cls.operation_product = cls.env['product.product'].create({
            'name': "Print Head Replacement", 'type': 'service', 'list_price': 45.0,
        })

    def _history_of_case_return_and_repair(self):
        case = self.env['aftersales.case'].create({
            'subject': "The label printer smears every label",
            'partner_id': self.customer.id, 'team_id': self.team.id,
            'product_ids': [Command.set(self.product_serial.ids)],
        })
        order = self._deliver_order([(self.product_serial, 1)], serials=self.serial)
        rma = self._create_rma(order, [(self.product_serial, 1, 'repair', self.serial)],
                               team_id=self.team.id, case_id=case.id)
        rma.action_approve()
        self._receive(rma)
        rma.with_user(self.technician).action_create_repair()
        repair = rma.repair_ids
        repair.internal_notes = "<p>Print head replaced and calibrated.</p>"
        self.env['aftersales.repair.operation'].create({
            'repair_id': repair.id, 'product_id': self.operation_product.id,
            'technician_id': self.technician.id,
        })
        return case, rma, repair

    def test_history_lists_case_return_and_repair_in_date_order(self):
        case, rma, repair = self._history_of_case_return_and_repair()
        events = self.serial.with_user(self.technician)._aftersales_history_events()
        self.assertEqual([e['record'] for e in events if e['kind'] == "Repair"], [repair])
        self.assertEqual({e['reference'] for e in events}, {case.name, rma.name, repair.name})
        self.assertEqual([e['date'] for e in events], sorted(e['date'] for e in events))
        repair_event = next(e for e in events if e['kind'] == "Repair")
        self.assertIn("Print head replaced and calibrated.", repair_event['description'])
        self.assertIn("Print Head Replacement", repair_event['description'])

        html = self.env['ir.actions.report'].with_user(self.technician)._render_qweb_html(
            REPORT, self.serial.ids)[0].decode()
        for reference in (case.name, rma.name, repair.name):
            self.assertIn(reference, html)
        pdf, report_type = self.env['ir.actions.report'].with_user(self.technician).with_context(
            force_report_rendering=True)._render_qweb_pdf(REPORT, self.serial.ids)
        self.assertEqual(report_type, 'pdf')
        self.assertTrue(pdf.startswith(b'%PDF'))

    def test_history_shows_supplier_shipments(self):
        _case, _rma, repair = self._history_of_case_return_and_repair()
        supplier = self.env['res.partner'].create({'name': "Printer Works Ltd"})
        repair.aftersales_supplier_id = supplier
        repair.with_user(self.technician).action_aftersales_send_to_supplier()
        events = self.serial.with_user(self.technician)._aftersales_history_events()
        shipment = next(e for e in events if e['kind'] == "Supplier Shipment")
        self.assertEqual(shipment['record'], repair.aftersales_supplier_picking_ids)
        self.assertIn("Printer Works Ltd", shipment['description'])

    def test_a_user_without_repair_rights_sees_no_repair(self):
        case, rma, repair = self._history_of_case_return_and_repair()
        events = self.serial.with_user(self.agent)._aftersales_history_events()
        self.assertEqual({e['reference'] for e in events}, {case.name, rma.name})
        self.assertNotIn(repair.name, str(events))

    def test_the_warehouse_prints_the_history_without_the_after_sales_documents(self):
        case, rma, repair = self._history_of_case_return_and_repair()
        serial = self.serial.with_user(self.warehouse_user)
        action = serial.action_aftersales_print_history()
        self.assertEqual(action['report_name'], 'aftersales_repair.report_lot_history')
        # The warehouse reads returns and (core's) repair orders; cases are the desk's.
        events = serial._aftersales_history_events()
        self.assertEqual({e['reference'] for e in events}, {rma.name, repair.name})
        self.assertNotIn(case.name, str(events))

    def test_a_serial_without_history_prints_nothing_happened(self):
        html = self.env['ir.actions.report']._render_qweb_html(REPORT, self.serials[1].ids)[0].decode()
        self.assertIn("Nothing happened to this serial", html)


@tagged('post_install', '-at_install')
class TestLotHistoryPerformance(AftersalesRepairCommon):
    """The history of a serial costs the same queries with 2 or 6 repairs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operation_product = cls.env['product.product'].create({
            'name': "Bench Test", 'type': 'service', 'list_price': 30.0,
        })

    def _serial_with_repairs(self, serial, count):
        repairs = self.env['repair.order'].create([{
            'partner_id': self.customer.id, 'product_id': self.product_serial.id, 'lot_id': serial.id,
            'internal_notes': f"<p>Fixed {n}</p>",
        } for n in range(count)])
        self.env['aftersales.repair.operation'].create([{
            'repair_id': repair.id, 'product_id': self.operation_product.id,
            'technician_id': self.technician.id,
        } for repair in repairs])
        return serial

    def _queries(self, function):
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        function()
        return self.cr.sql_log_count - before

    def test_history_does_not_grow_with_the_repairs(self):
        small = self._serial_with_repairs(self.serials[0], 2).with_user(self.technician)
        large = self._serial_with_repairs(self.serials[1], 6).with_user(self.technician)
        self.assertEqual(len(large._aftersales_history_events()), 6)
        for serial in (small, large):  # warm the caches
            self._queries(serial._aftersales_history_events)
        self.assertEqual(self._queries(small._aftersales_history_events),
                         self._queries(large._aftersales_history_events))
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            large._aftersales_history_events()
