from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import AftersalesWarrantyCommon

FIELDS = ['partner_id', 'product_id', 'lot_id', 'installation_date', 'location']


@tagged('post_install', '-at_install')
class TestWarrantyImport(AftersalesWarrantyCommon):

    def _row(self, lot, location, partner=None):
        return [
            (partner or self.customer).name, self.product_serial.display_name, lot.name,
            '2025-04-01', location,
        ]

    def test_import_reports_a_registered_serial_and_imports_the_other_rows(self):
        registered = self._register(self.serials[1])
        rows = [
            self._row(self.serials[0], "Reception"),
            self._row(self.serials[1], "Warehouse"),
            self._row(self.serials[2], "Office"),
        ]
        result = self.env['aftersales.warranty'].load(FIELDS, rows)
        imported = self.env['aftersales.warranty'].browse(result['ids'])
        self.assertEqual(imported.mapped('location'), ["Reception", "Office"])
        self.assertEqual(imported.lot_id, self.serials[0] | self.serials[2])
        [message] = result['messages']
        self.assertEqual(message['type'], 'warning')
        self.assertEqual(message['rows'], {'from': 1, 'to': 1})
        self.assertIn(registered.name, message['message'])

    def test_import_reports_a_serial_repeated_in_the_file(self):
        rows = [self._row(self.serials[0], "Reception"), self._row(self.serials[0], "Office", self.partner_b)]
        result = self.env['aftersales.warranty'].load(FIELDS, rows)
        self.assertEqual(self.env['aftersales.warranty'].browse(result['ids']).location, "Reception")
        self.assertEqual([m['rows']['from'] for m in result['messages']], [1])

    def test_import_of_an_unknown_product_fails_as_core_does(self):
        rows = [self._row(self.serials[0], "Reception"), ["Nobody", "No Such Product", "", "", ""]]
        result = self.env['aftersales.warranty'].load(FIELDS, rows)
        self.assertFalse(result['ids'])
        self.assertTrue(any(m['type'] == 'error' for m in result['messages']))

    def test_import_template_is_offered_and_ships(self):
        [template] = self.env['aftersales.warranty'].get_import_templates()
        path = file_path(template['template'].lstrip('/'))
        with open(path, encoding='utf-8') as csv_file:
            header = csv_file.readline().strip().split(',')
        self.assertLessEqual({'partner_id', 'product_id', 'lot_id'}, set(header))
        self.assertLessEqual(set(header), set(self.env['aftersales.warranty']._fields))
