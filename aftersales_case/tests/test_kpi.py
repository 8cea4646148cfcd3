import json
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.aftersales_case.models.aftersales_case_kpi import AftersalesCaseKpi
from odoo.addons.spreadsheet.utils.validate_data import (
    fields_in_spreadsheet,
    menus_xml_ids_in_spreadsheet,
)
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesCaseCommon

# The month the figures are asked for, and the month before.
MARCH = date(2030, 3, 15)
NOW = '2030-03-29 12:00:00'


@tagged('post_install', '-at_install')
class TestKpi(AftersalesCaseCommon):
    """Key figures, month over month, on cases reported and closed in
    February and March 2030 (far from any demo case).

    Calendar: 9-17 UTC on weekdays; service level: resolved within 8
    working hours, so a case reported on a Monday at 9:00 is due at 17:00.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = 'UTC'
        calendar = cls.env['resource.calendar'].create({
            'name': "UTC 9-17", 'tz': 'UTC',
            'attendance_ids': [
                Command.create({
                    'name': f"Day {day}", 'dayofweek': str(day), 'hour_from': 9, 'hour_to': 17,
                    'day_period': 'full_day',
                })
                for day in range(5)
            ],
        })
        (cls.team | cls.team_other).write({
            'resource_calendar_id': calendar.id, 'assignment_method': 'manual',
        })
        cls.env['aftersales.sla'].create({
            'name': "Within a day", 'sequence': -1, 'resolution_hours': 8,
            'team_ids': [Command.set((cls.team | cls.team_other).ids)],
        })
        cls.stage_cancelled = cls.env.ref('aftersales_case.stage_cancelled')
        cls.customers = cls.env['res.partner'].create([
            {'name': f"KPI Customer {letter}", 'is_company': True} for letter in 'ABCD'
        ])
        cust_a, cust_b, cust_c, cust_d = cls.customers
        # February: 3 reported (1 escalated); 2 closed: 6 h met, 26 h breached.
        cls._kpi_case(cust_a, '2030-02-04 09:00', '2030-02-04 15:00')
        cls._kpi_case(cust_b, '2030-02-04 09:00', '2030-02-05 11:00', escalation=1)
        # Reported in February, closed in March after 432 h (breached).
        cls._kpi_case(cust_c, '2030-02-11 09:00', '2030-03-01 09:00', team=cls.team_other)
        # March: 6 reported (3 escalated); closed: 2 h and 4 h met, 34 h and
        # 10 h breached, 1 h cancelled (left out of resolution and success).
        cls._kpi_case(cust_a, '2030-03-04 09:00', '2030-03-04 11:00')
        cls._kpi_case(cust_b, '2030-03-04 09:00', '2030-03-04 13:00', escalation=1)
        cls._kpi_case(cust_c, '2030-03-04 09:00', '2030-03-05 19:00', escalation=2, team=cls.team_other)
        cls._kpi_case(cust_d, '2030-03-11 09:00', '2030-03-11 19:00', team=cls.team_other)
        cls._kpi_case(cust_d, '2030-03-12 09:00', '2030-03-12 10:00', stage=cls.stage_cancelled)
        cls._kpi_case(cust_a, '2030-03-18 09:00', escalation=1)

    @classmethod
    def _kpi_case(cls, customer, reported, closed=None, *, escalation=0, team=None, stage=None):
        team = team or cls.team
        with freeze_time(reported):
            case = cls.env['aftersales.case'].create({
                'subject': "Key figures", 'partner_id': customer.id, 'team_id': team.id,
                'user_id': team.member_ids[:1].id, 'date_reported': reported,
                'escalation_level': escalation,
            })
        if closed:
            with freeze_time(closed):
                case.stage_id = stage or cls.stage_solved
        return case

    def _summary(self, user=None, day=MARCH, **context):
        kpi = self.env['aftersales.case.kpi'].with_user(user or self.manager)
        kpi = kpi.with_context(tz='UTC', **context)
        with freeze_time(NOW):
            return {row['key']: row for row in kpi.get_kpi_summary(day)}

    def _assert_kpi(self, summary, key, current, previous, trend):
        self.assertEqual(
            (summary[key]['current'], summary[key]['previous'], summary[key]['trend']),
            (current, previous, trend), key,
        )

    def test_month_periods_begin_at_midnight_in_the_user_time_zone(self):
        periods = self.env['aftersales.case.kpi'].with_context(tz='Europe/Brussels')._get_month_periods(MARCH)
        self.assertEqual(periods, [
            (datetime(2030, 2, 28, 23, 0), datetime(2030, 3, 31, 22, 0)),
            (datetime(2030, 1, 31, 23, 0), datetime(2030, 2, 28, 23, 0)),
        ])

    def test_cases_reported_in_the_month_and_their_trend(self):
        self._assert_kpi(self._summary(), 'cases', 6, 3, 100.0)

    def test_escalated_cases_reported_in_the_month(self):
        self._assert_kpi(self._summary(), 'escalated', 3, 1, 200.0)

    def test_cases_closed_in_the_month_include_cancelled_ones(self):
        self._assert_kpi(self._summary(), 'closed', 6, 2, 200.0)

    def test_average_time_to_resolution_leaves_cancelled_cases_out(self):
        # (2 + 4 + 34 + 10 + 432) / 5 = 96.4 against (6 + 26) / 2 = 16.
        self._assert_kpi(self._summary(), 'resolution_hours_avg', 96.4, 16.0, 502.5)

    def test_median_time_to_resolution(self):
        # Odd count: the middle of 2, 4, 10, 34, 432; even count: the mean of 6 and 26.
        self._assert_kpi(self._summary(), 'resolution_hours_median', 10.0, 16.0, -37.5)

    def test_service_level_success_rate_of_cases_closed_in_the_month(self):
        # March: 2 met of 5 measured (the cancelled case is not); February: 1 of 2.
        self._assert_kpi(self._summary(), 'sla_success_rate', 40.0, 50.0, -20.0)

    def test_month_without_cases_has_no_average_and_no_trend(self):
        summary = self._summary(day=date(2029, 6, 1))
        self._assert_kpi(summary, 'cases', 0, 0, None)
        self._assert_kpi(summary, 'resolution_hours_median', None, None, None)
        self._assert_kpi(summary, 'sla_success_rate', None, None, None)

    def test_summary_includes_figures_another_module_adds(self):
        compute = AftersalesCaseKpi._compute_kpi_values

        # A key of its own: the suite's modules add theirs (returns, claims)
        # through the same hook, after this patched method has run.
        def with_extra_figure(kpi, periods, companies=None):
            values = compute(kpi, periods, companies)
            values['extra_figure'] = kpi._kpi_entry("Extra", 'count', 35, [4, 2])
            return values

        with patch.object(AftersalesCaseKpi, '_compute_kpi_values', with_extra_figure):
            summary = self._summary()
        self._assert_kpi(summary, 'extra_figure', 4, 2, 100.0)
        keys = list(summary)
        self.assertLess(keys.index('escalated'), keys.index('extra_figure'))
        self.assertLess(keys.index('extra_figure'), keys.index('closed'))

    def test_agent_gets_figures_on_the_cases_they_may_read(self):
        # The agent reads the cases of their team only: 4 in March, 2 in February.
        summary = self._summary(user=self.agent)
        self._assert_kpi(summary, 'cases', 4, 2, 100.0)
        self._assert_kpi(summary, 'resolution_hours_median', 3.0, 16.0, -81.25)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_user_without_case_access_is_refused(self):
        with self.assertRaises(AccessError):
            self._summary(user=self.internal_user)

    def test_cases_of_companies_not_selected_do_not_count(self):
        company_b = self.env['res.company'].create({'name': "KPI Company B"})
        self.manager.company_ids |= company_b
        with freeze_time('2030-03-05 09:00'):
            self.env['aftersales.case'].with_company(company_b).create({
                'subject': "Elsewhere", 'partner_id': self.customers[0].id,
                'company_id': company_b.id, 'team_id': False, 'date_reported': '2030-03-05 09:00',
            })
        main = self.env.company
        self.assertEqual(self._summary(allowed_company_ids=[main.id])['cases']['current'], 6)
        self.assertEqual(self._summary(allowed_company_ids=[main.id, company_b.id])['cases']['current'], 7)

    def test_query_count_does_not_grow_with_the_number_of_cases(self):
        def count_queries():
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self._summary()
            return self.env.cr.sql_log_count - start

        self._create_cases(20)
        self._summary()  # warm the caches (rules, fields)
        with_20 = count_queries()
        self._create_cases(180)
        self.assertEqual(count_queries(), with_20)

    def _create_cases(self, count):
        with freeze_time('2030-03-20 09:00'):
            cases = self.env['aftersales.case'].create([{
                'subject': f"Bulk {index}", 'partner_id': self.customers[index % 4].id,
                'team_id': self.team.id, 'user_id': self.agent.id,
                'escalation_level': index % 3,
            } for index in range(count)])
        with freeze_time('2030-03-21 09:00'):
            cases[::2].stage_id = self.stage_solved


@tagged('post_install', '-at_install')
class TestKpiChurn(AftersalesCaseCommon):
    """Churned customers on 15 June 2030, with a churn window of 30 days:
    a case in the month, and no purchase since the last case nor in the
    last 30 days (since 16 May)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.aftersales_churn_days = 30
        cls.partners = cls.env['res.partner'].create([
            {'name': name, 'is_company': True}
            for name in ("Invoiced After", "Never Invoiced", "Invoiced Before", "Bought Lately", "February")
        ])
        invoiced_after, never, before, lately, february = cls.partners
        for partner, reported in (
            (invoiced_after, '2030-03-05 10:00'), (never, '2030-03-06 10:00'),
            (before, '2030-03-07 10:00'), (lately, '2030-03-08 10:00'),
            (lately, '2030-06-01 10:00'), (february, '2030-02-10 10:00'),
        ):
            cls._create_case(partner_id=partner.id, date_reported=reported)
        with freeze_time('2030-06-15 12:00'):
            cls._invoice(invoiced_after, date(2030, 3, 20))
            cls._invoice(before, date(2030, 3, 1))
            cls._invoice(before, date(2030, 4, 1), post=False)  # a draft is no purchase
            # Before its last case, but within the last 30 days.
            cls._invoice(lately, date(2030, 5, 20))

    @classmethod
    def _invoice(cls, partner, invoice_date, post=True):
        invoice = cls.env['account.move'].create({
            'move_type': 'out_invoice', 'partner_id': partner.id, 'invoice_date': invoice_date,
            'invoice_line_ids': [Command.create({'name': "Spare part", 'quantity': 1, 'price_unit': 100})],
        })
        if post:
            invoice.action_post()
        return invoice

    def _churn(self, day):
        kpi = self.env['aftersales.case.kpi'].with_user(self.manager).with_context(tz='UTC')
        with freeze_time('2030-06-15 12:00'):
            return next(row for row in kpi.get_kpi_summary(day) if row['key'] == 'churned_customers')

    def test_customers_who_bought_nothing_since_their_last_case_churned(self):
        # March: "Never Invoiced" and "Invoiced Before" (its later invoice is a
        # draft); February: "February".
        churn = self._churn(MARCH)
        self.assertEqual((churn['current'], churn['previous'], churn['trend']), (2, 1, 100.0))

    def test_customer_invoiced_after_the_case_did_not_churn(self):
        with freeze_time('2030-06-15 12:00'):
            self._invoice(self.partners[1], date(2030, 3, 6))  # the day of the case counts
        self.assertEqual(self._churn(MARCH)['current'], 1)

    def test_customer_who_bought_within_the_churn_window_did_not_churn(self):
        # 120 days back is 16 February: "Invoiced Before" bought on 1 March.
        self.env.company.aftersales_churn_days = 120
        churn = self._churn(MARCH)
        self.assertEqual((churn['current'], churn['previous']), (1, 1))


@tagged('post_install', '-at_install')
class TestKpiDigestAndDashboard(AftersalesCaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digest = cls.env['digest.digest'].create({
            'name': "Support", 'company_id': cls.env.company.id,
            'kpi_aftersales_case_opened': True, 'kpi_aftersales_case_closed': True,
        })
        cases = [
            cls._create_case(date_reported=reported, user_id=cls.agent.id)
            for reported in ('2030-03-04 09:00', '2030-03-05 09:00', '2030-04-02 09:00')
        ]
        with freeze_time('2030-03-06 09:00'):
            cases[1].stage_id = cls.stage_solved

    def _digest_value(self, field_name, user=None):
        digest = self.digest.with_user(user or self.manager).with_context(
            start_datetime=datetime(2030, 3, 1), end_datetime=datetime(2030, 4, 1),
        )
        return digest[field_name]

    def test_default_digest_shows_the_support_figures(self):
        default = self.env.ref('digest.digest_digest_default')
        self.assertTrue(default.kpi_aftersales_case_opened)
        self.assertTrue(default.kpi_aftersales_sla_success)

    def test_digest_counts_cases_opened_and_closed_in_its_period(self):
        self.assertEqual(self._digest_value('kpi_aftersales_case_opened_value'), 2)
        self.assertEqual(self._digest_value('kpi_aftersales_case_closed_value'), 1)
        self.assertEqual(self._digest_value('kpi_aftersales_sla_success_value'), 0.0)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_digest_skips_support_figures_for_users_without_case_access(self):
        kpis = self.digest._compute_kpis(self.env.company, self.internal_user)
        self.assertFalse([kpi for kpi in kpis if kpi['kpi_name'].startswith('kpi_aftersales')])
        kpis = self.digest._compute_kpis(self.env.company, self.manager)
        self.assertEqual(
            {kpi['kpi_name'] for kpi in kpis if kpi['kpi_name'].startswith('kpi_aftersales')},
            {'kpi_aftersales_case_opened', 'kpi_aftersales_case_closed'},
        )

    def test_dashboard_loads_case_data_for_support_managers(self):
        dashboard = self.env.ref('aftersales_case.spreadsheet_dashboard_aftersales_support')
        data = json.loads(dashboard.spreadsheet_data)
        self.assertEqual(dashboard.dashboard_group_id.name, "After-Sales")
        self.assertEqual(dashboard.group_ids, self.group_all | self.group_manager)
        used = fields_in_spreadsheet(data)
        self.assertIn('aftersales.case', used)
        case_fields = self.env['aftersales.case']._fields
        self.assertFalse([f for f in used['aftersales.case'] if f.split('.')[0] not in case_fields])
        self.assertFalse([xmlid for xmlid in menus_xml_ids_in_spreadsheet(data)
                          if not self.env.ref(xmlid, raise_if_not_found=False)])

    def test_reports_open_the_cases_they_count(self):
        action = self.env.ref('aftersales_case.aftersales_case_action_report_escalation_open')
        self.assertEqual(action.res_model, 'aftersales.case')
        self.assertIn('filter_open', action.context)
        menus = self.env['ir.ui.menu'].with_user(self.agent_all).search([
            ('parent_id', '=', self.env.ref('aftersales_case.aftersales_menu_reporting').id),
        ])
        lookup = self.env.ref('aftersales_case.aftersales_case_action_lookup')
        self.assertIn(lookup, [menu.action for menu in menus])
        self.assertGreaterEqual(len(menus), 10)
