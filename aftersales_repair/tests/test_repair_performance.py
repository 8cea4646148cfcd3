from odoo.tests import tagged

from .common import AftersalesRepairCommon

OPERATION_SPEC = {
    'sequence': {}, 'company_id': {'fields': {'display_name': {}}},
    'product_id': {'fields': {'display_name': {}}}, 'name': {},
    'technician_id': {'fields': {'display_name': {}}}, 'quantity': {},
    'product_uom_id': {'fields': {'display_name': {}}}, 'standard_minutes': {}, 'price_unit': {},
    'currency_id': {'fields': {}}, 'price_subtotal': {}, 'status_id': {'fields': {'display_name': {}}},
    'date_start': {}, 'date_end': {}, 'duration': {}, 'standard_duration': {},
}
REPAIR_SPEC = {
    'name': {}, 'state': {}, 'partner_id': {'fields': {'display_name': {}}},
    'product_id': {'fields': {'display_name': {}}}, 'lot_id': {'fields': {'display_name': {}}},
    'aftersales_date_in': {}, 'aftersales_brought_by': {}, 'aftersales_manufacture_year': {},
    'aftersales_rma_id': {'fields': {'display_name': {}}},
    'aftersales_case_id': {'fields': {'display_name': {}}},
    'aftersales_to_send_back': {}, 'aftersales_unrepairable': {},
    'aftersales_duration': {}, 'aftersales_standard_duration': {},
    'aftersales_operation_ids': {'fields': OPERATION_SPEC},
    'aftersales_cost_ids': {'fields': {'name': {}, 'quantity': {}, 'price_unit': {}, 'price_subtotal': {}}},
    'aftersales_quote_state': {}, 'aftersales_amount_parts': {}, 'aftersales_amount_operations': {},
    'aftersales_amount_costs': {}, 'aftersales_amount_total': {}, 'aftersales_amount_to_charge': {},
}


@tagged('post_install', '-at_install')
class TestRepairPerformance(AftersalesRepairCommon):
    """Opening a repair and changing an operation's status cost the same
    number of queries whether the repair has 10 or 30 operations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operation_product = cls.env['product.product'].create({
            'name': "Bench Test", 'type': 'service', 'list_price': 30.0,
            'aftersales_standard_minutes': 20.0,
        })
        cls.status_start = cls.env.ref('aftersales_repair.status_start')
        cls.status_testing = cls.env.ref('aftersales_repair.status_testing')
        cls.small = cls._repair_with_operations(10)
        cls.large = cls._repair_with_operations(30)

    @classmethod
    def _repair_with_operations(cls, count):
        repair = cls.env['repair.order'].create({
            'partner_id': cls.customer.id, 'product_id': cls.product_delivery.id,
        })
        cls.env['aftersales.repair.operation'].create([{
            'repair_id': repair.id, 'product_id': cls.operation_product.id,
            'technician_id': cls.technician.id, 'status_id': cls.status_start.id,
        } for _n in range(count)])
        return repair

    def _queries(self, function):
        """The queries ``function`` makes from cold caches, flushed."""
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _open(self, repair):
        repair.with_user(self.technician).web_read(REPAIR_SPEC)

    def _change_status(self, repair):
        operation = repair.aftersales_operation_ids[0].with_user(self.technician)
        status = self.status_testing if operation.status_id == self.status_start else self.status_start
        operation.status_id = status

    def test_opening_a_repair_does_not_grow_with_its_operations(self):
        for repair in (self.small, self.large):  # warm the caches
            self._queries(lambda repair=repair: self._open(repair))
        self.assertEqual(self._queries(lambda: self._open(self.small)),
                         self._queries(lambda: self._open(self.large)))
        self.env.invalidate_all()
        with self.assertQueryCount(20):
            self._open(self.large)

    def test_status_change_does_not_grow_with_the_operations(self):
        for repair in (self.small, self.large):  # warm the caches
            self._queries(lambda repair=repair: self._change_status(repair))
        self.assertEqual(self._queries(lambda: self._change_status(self.small)),
                         self._queries(lambda: self._change_status(self.large)))
        self.env.invalidate_all()
        with self.assertQueryCount(10):
            self._change_status(self.large)
