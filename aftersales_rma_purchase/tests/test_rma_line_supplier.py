from odoo.tests import tagged

from .common import AftersalesRmaPurchaseCommon


@tagged('post_install', '-at_install')
class TestRmaLineSupplier(AftersalesRmaPurchaseCommon):
    """A returned serial's supplier is the vendor who sold us that serial."""

    def test_supplier_is_the_vendor_of_the_serial_purchase(self):
        serial = self.scanner_serials[1:2]
        self._purchase([(self.scanner, 1)], serials=self.scanner_serials[:1])
        self._purchase([(self.scanner, 1)], serials=serial, vendor=self.vendor_other)
        order = self._deliver_order([(self.scanner, 1)], serials=serial)
        rma = self._create_rma(order, [(self.scanner, 1, 'refund', serial)])
        self.assertEqual(rma.line_ids.supplier_id, self.vendor_other)

    def test_serial_never_bought_keeps_the_main_vendor(self):
        serial = self.scanner_serials[3:4]
        self.env['stock.quant']._update_available_quantity(
            self.scanner, self.stock_location, 1, lot_id=serial,
        )
        order = self._deliver_order([(self.scanner, 1)], serials=serial)
        rma = self._create_rma(order, [(self.scanner, 1, 'refund', serial)])
        self.assertEqual(rma.line_ids.supplier_id, self.vendor)

    def test_serial_chosen_after_the_product_brings_its_vendor(self):
        serial = self.scanner_serials[2:3]
        self._purchase([(self.scanner, 1)], serials=serial, vendor=self.vendor_other)
        order = self._deliver_order([(self.scanner, 1)], serials=serial)
        rma = self._create_rma(order, [(self.scanner, 1, 'refund', None)])
        line = rma.line_ids
        self.assertEqual(line.supplier_id, self.vendor)
        line.lot_id = serial
        self.assertEqual(line.supplier_id, self.vendor_other)

    def test_supplier_set_by_hand_stays_when_the_serial_changes(self):
        serial = self.scanner_serials[2:3]
        self._purchase([(self.scanner, 1)], serials=serial, vendor=self.vendor_other)
        order = self._deliver_order([(self.scanner, 1)], serials=serial)
        rma = self._create_rma(order, [(self.scanner, 1, 'refund', None)])
        manual = self.env['res.partner'].create({'name': "Chosen Scanner Vendor"})
        rma.line_ids.supplier_id = manual
        rma.line_ids.lot_id = serial
        self.assertEqual(rma.line_ids.supplier_id, manual)
