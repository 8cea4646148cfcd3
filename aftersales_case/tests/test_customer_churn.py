from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCaseCommon

NOW = '2030-06-15 12:00:00'
MARCH = [('date_reported', '>=', '2030-03-01'), ('date_reported', '<', '2030-04-01')]


@tagged('post_install', '-at_install')
class TestCustomerChurn(AftersalesCaseCommon):
    """The cases of churned customers, as the dashboard counts and opens them,
    on 15 June 2030 with a churn window of 30 days (since 16 May)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.aftersales_churn_days = 30
        cls.invoiced_after, cls.never, cls.before, cls.lately = cls.env['res.partner'].create([
            {'name': name, 'is_company': True}
            for name in ("Invoiced After", "Never Invoiced", "Invoiced Before", "Bought Lately")
        ])
        cls.cases = {
            partner: cls._create_case(partner_id=partner.id, date_reported=reported)
            for partner, reported in (
                (cls.invoiced_after, '2030-03-05 10:00'), (cls.never, '2030-03-06 10:00'),
                (cls.before, '2030-03-07 10:00'), (cls.lately, '2030-03-08 10:00'),
            )
        }
        # A second case of "Never Invoiced", in the same month: one customer, two cases.
        cls.never_again = cls._create_case(partner_id=cls.never.id, date_reported='2030-03-20 10:00')
        with freeze_time(NOW):
            cls._invoice(cls.invoiced_after, date(2030, 3, 20))
            cls._invoice(cls.before, date(2030, 3, 1))
            cls._invoice(cls.before, date(2030, 4, 1), post=False)  # a draft is no purchase
            cls._invoice(cls.lately, date(2030, 5, 20))  # within the last 30 days

    @classmethod
    def _invoice(cls, partner, invoice_date, post=True):
        invoice = cls.env['account.move'].create({
            'move_type': 'out_invoice', 'partner_id': partner.id, 'invoice_date': invoice_date,
            'invoice_line_ids': [Command.create({'name': "Spare part", 'quantity': 1, 'price_unit': 100})],
        })
        if post:
            invoice.action_post()
        return invoice

    def _churned_cases(self, user=None):
        Case = self.env['aftersales.case'].with_user(user or self.manager)
        with freeze_time(NOW):
            return Case.search([*MARCH, ('is_customer_churned', '=', True)])

    def test_search_finds_the_cases_of_customers_who_bought_nothing_since(self):
        expected = self.cases[self.never] | self.never_again | self.cases[self.before]
        self.assertEqual(self._churned_cases(), expected)

    def test_search_for_customers_who_did_not_churn_finds_the_others(self):
        with freeze_time(NOW):
            kept = self.env['aftersales.case'].search([*MARCH, ('is_customer_churned', '=', False)])
        self.assertEqual(kept, self.cases[self.invoiced_after] | self.cases[self.lately])

    def test_each_case_tells_whether_its_customer_churned(self):
        with freeze_time(NOW):
            flags = {partner.name: case.is_customer_churned for partner, case in self.cases.items()}
        self.assertEqual(flags, {
            "Invoiced After": False, "Never Invoiced": True, "Invoiced Before": True, "Bought Lately": False,
        })

    def test_dashboard_count_of_churned_customers_is_the_key_figure(self):
        # The dashboard's pivot: distinct customers of the month's churned cases.
        Case = self.env['aftersales.case'].with_user(self.manager)
        with freeze_time(NOW):
            [[dashboard]] = Case._read_group(
                [*MARCH, ('is_customer_churned', '=', True)], [], ['commercial_partner_id:count_distinct'],
            )
            kpi = self.env['aftersales.case.kpi'].with_user(self.manager).with_context(tz='UTC')
            [figure] = [row for row in kpi.get_kpi_summary(date(2030, 3, 15))
                        if row['key'] == 'churned_customers']
        self.assertEqual(dashboard, 2)
        self.assertEqual(figure['current'], dashboard)

    def test_a_new_invoice_takes_the_customer_out_of_the_churned(self):
        with freeze_time(NOW):
            self._invoice(self.never, date(2030, 6, 1))
        self.assertEqual(self._churned_cases(), self.cases[self.before])

    def test_last_case_after_the_purchase_makes_the_customer_churned_again(self):
        # "Bought Lately" bought on 20 May; a case on 1 June, and nothing bought since.
        self._create_case(partner_id=self.lately.id, date_reported=datetime(2030, 6, 1, 10))
        self.env.company.aftersales_churn_days = 0
        self.assertIn(self.cases[self.lately], self._churned_cases())
