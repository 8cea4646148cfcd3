from datetime import datetime

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaCommon


@tagged('post_install', '-at_install')
class TestRmaDigest(AftersalesRmaCommon):
    """The number of returns in the periodic digest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digest = cls.env['digest.digest'].create({
            'name': "Returns", 'company_id': cls.company.id, 'kpi_aftersales_rma_returns': True,
        })
        cls.manager = new_test_user(
            cls.env, login='rma_digest_manager', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_manager',
        )

    def _returns_in_march(self, user):
        digest = self.digest.with_user(user).with_context(
            start_datetime=datetime(2030, 3, 1), end_datetime=datetime(2030, 4, 1),
        )
        return digest.kpi_aftersales_rma_returns_value

    def test_default_digest_shows_the_returns(self):
        self.assertTrue(self.env.ref('digest.digest_digest_default').kpi_aftersales_rma_returns)

    def test_digest_counts_the_returns_requested_in_its_period(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        for day in (datetime(2030, 2, 27), datetime(2030, 3, 5), datetime(2030, 3, 20)):
            self._create_rma(order, [(self.product_delivery, 1, 'refund', None)], date=day)
        self._create_rma(order, [(self.product_delivery, 1, 'refund', None)],
                         date=datetime(2030, 3, 21)).action_cancel()
        self.assertEqual(self._returns_in_march(self.manager), 2)

    def test_digest_returns_open_the_returns(self):
        actions = self.digest._compute_kpis_actions(self.company, self.manager)
        self.assertTrue(actions['kpi_aftersales_rma_returns'].startswith('aftersales_rma.aftersales_rma_action'))

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_digest_leaves_the_returns_out_for_users_without_returns(self):
        kpis = self.digest._compute_kpis(self.company, self.accountant)
        self.assertNotIn('kpi_aftersales_rma_returns', [kpi['kpi_name'] for kpi in kpis])
        kpis = self.digest._compute_kpis(self.company, self.manager)
        self.assertIn('kpi_aftersales_rma_returns', [kpi['kpi_name'] for kpi in kpis])
