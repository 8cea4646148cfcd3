from datetime import date

from odoo.tests import tagged

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyPerformance(AftersalesWarrantyCommon):

    def _claims(self, count):
        """``count`` claims, each on a registered printer serial of its own."""
        lots = self.env['stock.lot'].create([
            {'name': f"PERF-{count}-{n:03d}", 'product_id': self.product_serial.id} for n in range(count)
        ])
        self.env['aftersales.warranty'].create([{
            'partner_id': self.customer.id, 'product_id': self.product_serial.id, 'lot_id': lot.id,
            'registration_date': date(2025, 1, 1),
        } for lot in lots])
        claims = self.env['aftersales.warranty.claim'].create([{
            'partner_id': self.customer.id, 'lot_id': lot.id, 'problem': "Jams",
            'date': date(2026, 1, 1 + n % 28), 'remedy': 'refund' if n % 2 else 'repair',
        } for n, lot in enumerate(lots)])
        claims.state = 'draft'
        self.env.invalidate_all()
        return claims.with_env(self.env)

    def test_validating_50_claims_takes_a_fixed_number_of_queries(self):
        self._claims(5).action_validate()  # the access rules' caches
        claims = self._claims(50)
        with self.assertQueryCount(QUERIES_50):
            claims.action_validate()
        self.assertEqual(set(claims.mapped('state')), {'accepted', 'refused'})

    def test_validating_claims_takes_as_many_queries_for_100_as_for_10(self):
        self._claims(5).action_validate()  # the access rules' caches
        counts = []
        for count in (10, 100):
            claims = self._claims(count)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            claims.action_validate()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])


# Claims, registrations and terms read, one update: the same for any batch.
QUERIES_50 = 4
