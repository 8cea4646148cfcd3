from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesCaseCommon


@tagged('post_install', '-at_install')
class TestDigestChurn(AftersalesCaseCommon):
    """The churned customers in the periodic digest: those with a case in its
    period who bought nothing since their last case (churn window: 30 days)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.aftersales_churn_days = 30
        cls.digest = cls.env['digest.digest'].create({
            'name': "Support", 'company_id': cls.env.company.id, 'kpi_aftersales_churned_customers': True,
        })
        cls.silent, cls.buyer = cls.env['res.partner'].create([
            {'name': "Silent Since", 'is_company': True}, {'name': "Bought Since", 'is_company': True},
        ])
        for partner in (cls.silent, cls.buyer):
            cls._create_case(partner_id=partner.id, date_reported='2030-03-04 09:00', user_id=cls.agent.id)
        cls.env['account.move'].create({
            'move_type': 'out_invoice', 'partner_id': cls.buyer.id, 'invoice_date': date(2030, 3, 10),
            'invoice_line_ids': [Command.create({'name': "Spare part", 'quantity': 1, 'price_unit': 10})],
        }).action_post()

    def _churned_in_march(self, user):
        digest = self.digest.with_user(user).with_context(
            start_datetime=datetime(2030, 3, 1), end_datetime=datetime(2030, 4, 1),
        )
        with freeze_time('2030-06-15 12:00'):
            return digest.kpi_aftersales_churned_customers_value

    def test_default_digest_shows_the_churned_customers(self):
        self.assertTrue(self.env.ref('digest.digest_digest_default').kpi_aftersales_churned_customers)

    def test_digest_counts_the_customers_who_bought_nothing_since_their_case(self):
        self.assertEqual(self._churned_in_march(self.manager), 1)

    def test_digest_churned_customers_open_their_report(self):
        actions = self.digest._compute_kpis_actions(self.env.company, self.manager)
        self.assertTrue(actions['kpi_aftersales_churned_customers'].startswith(
            'aftersales_case.aftersales_case_action_report_churn'))

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_digest_leaves_churn_out_for_users_without_case_access(self):
        kpis = self.digest._compute_kpis(self.env.company, self.internal_user)
        self.assertNotIn('kpi_aftersales_churned_customers', [kpi['kpi_name'] for kpi in kpis])
