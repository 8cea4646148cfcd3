from datetime import datetime

from odoo.tests import tagged

from .common import AftersalesRmaCommon


@tagged('post_install', '-at_install')
class TestRmaCaseFigures(AftersalesRmaCommon):
    """What returns add to cases: the customer panel's counters and the key figures."""

    def test_customer_panel_counts_open_returns_and_orders(self):
        order = self._deliver_order([(self.product_delivery, 2)])
        self._deliver_order([(self.product_delivery, 1)])
        open_rma = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)])
        cancelled = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)])
        cancelled.action_cancel()
        case = self.env['aftersales.case'].create({'subject': "Lamp", 'partner_id': self.customer.id})
        self.assertEqual(case.customer_rma_count, 1)
        self.assertEqual(case.customer_sale_order_count, 2)
        action = case.action_view_customer_rmas()
        self.assertEqual(self.env['aftersales.rma'].search(action['domain']), open_rma | cancelled)

    def test_agent_without_sales_rights_sees_no_order_count(self):
        self._deliver_order([(self.product_delivery, 1)])
        case = self.env['aftersales.case'].create({'subject': "Lamp", 'partner_id': self.customer.id})
        self.assertEqual(case.with_user(self.agent).customer_sale_order_count, 0)

    def test_key_figures_count_the_returns_of_each_month(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        for day in (datetime(2030, 2, 10), datetime(2030, 3, 5), datetime(2030, 3, 20)):
            self._create_rma(order, [(self.product_delivery, 1, 'refund', None)], date=day)
        self._create_rma(order, [(self.product_delivery, 1, 'refund', None)],
                         date=datetime(2030, 3, 21)).action_cancel()
        summary = {
            kpi['key']: kpi
            for kpi in self.env['aftersales.case.kpi'].get_kpi_summary(datetime(2030, 3, 15).date())
        }
        self.assertEqual((summary['returns']['current'], summary['returns']['previous']), (2, 1))
        self.assertEqual(summary['returns']['trend'], 100.0)
