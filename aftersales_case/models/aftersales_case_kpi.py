from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

# The units a key figure's values are in.
KPI_UNITS = ('count', 'hours', 'percent')


class AftersalesCaseKpi(models.AbstractModel):
    """The support desk's key figures, each from one grouped query.

    Every figure is computed for several periods at once: the periods are
    joined to the cases as a ``VALUES`` list, so this month and last month
    (or the digest's windows) cost one query, whatever the number of cases.
    The cases are read through ``_search``: the user's record rules apply,
    so an agent limited to their own and their teams' cases gets figures on
    those cases only, and a user without access to cases gets an
    ``AccessError``.
    """

    _name = 'aftersales.case.kpi'
    _description = "After-Sales Key Figures"

    # Public methods

    @api.model
    def get_kpi_summary(self, date=None):
        """The key figures of the month of ``date`` (default: today, in the
        user's time zone) against the month before.

        :return: a list ordered for display of dicts ``{'key', 'label',
            'unit', 'current', 'previous', 'trend'}``; ``trend`` is the change
            in percent of the previous value, ``None`` when there is nothing
            to compare with (no previous value, or a previous value of 0).
        """
        periods = self._get_month_periods(date)
        kpis = self._compute_kpi_values(periods)
        summary = []
        for key, kpi in sorted(kpis.items(), key=lambda item: item[1]['sequence']):
            current, previous = kpi['values']
            summary.append({
                'key': key,
                'label': kpi['label'],
                'unit': kpi['unit'],
                'current': current,
                'previous': previous,
                'trend': _trend(current, previous),
            })
        return summary

    # Extension point

    @api.model
    def _compute_kpi_values(self, periods, companies=None):
        """The key figures for each of ``periods``.

        :param periods: a list of ``(start, end)`` naive UTC datetimes, the
            end excluded; periods may overlap.
        :param companies: the companies whose cases count (default: the
            user's active companies); record rules apply on top.
        :return: ``{key: {'label', 'unit', 'sequence', 'values'}}`` where
            ``values`` lists one value per period, in the order of
            ``periods``; ``unit`` is one of ``KPI_UNITS``; a value is
            ``None`` when it cannot be computed (an average of no case).

        Modules add their figures here: the returns module adds its number
        of returns with an override that calls ``super()``, adds a
        ``'returns'`` entry computed in one grouped query of its own, and
        returns the dict.
        """
        companies = companies if companies is not None else self.env.companies
        reported = self._kpi_reported_cases(periods, companies)
        closed = self._kpi_closed_cases(periods, companies)
        churned = self._kpi_churned_customers(periods, companies)
        return {
            'cases': self._kpi_entry(
                self.env._("Cases"), 'count', 10, [row['count'] for row in reported]),
            'escalated': self._kpi_entry(
                self.env._("Escalated Cases"), 'count', 20, [row['escalated'] for row in reported]),
            'closed': self._kpi_entry(
                self.env._("Closed Cases"), 'count', 40, [row['count'] for row in closed]),
            'resolution_hours_avg': self._kpi_entry(
                self.env._("Time to Resolution (average, hours)"), 'hours', 50,
                [row['resolution_avg'] for row in closed]),
            'resolution_hours_median': self._kpi_entry(
                self.env._("Time to Resolution (median, hours)"), 'hours', 60,
                [row['resolution_median'] for row in closed]),
            'sla_success_rate': self._kpi_entry(
                self.env._("Service Level Success (%)"), 'percent', 70,
                [row['sla_success_rate'] for row in closed]),
            'churned_customers': self._kpi_entry(
                self.env._("Churned Customers"), 'count', 80, churned),
        }

    @api.model
    def _kpi_entry(self, label, unit, sequence, values):
        return {'label': label, 'unit': unit, 'sequence': sequence, 'values': values}

    # Periods

    @api.model
    def _get_month_periods(self, date=None):
        """``[this month, last month]`` of ``date`` as ``(start, end)`` naive
        UTC datetimes; months begin at midnight in the user's time zone."""
        tz = self.env.tz
        date = date or fields.Date.context_today(self)
        month_start = date.replace(day=1)
        bounds = [month_start + relativedelta(months=shift) for shift in (-1, 0, 1)]
        utc = [
            tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
            for day in bounds
        ]
        return [(utc[1], utc[2]), (utc[0], utc[1])]

    # Queries

    @api.model
    def _kpi_case_query(self, date_field, periods, companies, domain=None):
        """A query on the cases the user may read, whose ``date_field`` falls
        in one of ``periods``, joined to the period as ``kpi_period`` (its
        ``idx`` is the period's index): group by ``kpi_period.idx``."""
        return self._kpi_period_query('aftersales.case', date_field, periods, companies, domain)

    @api.model
    def _kpi_period_query(self, model_name, date_field, periods, companies, domain=None):
        """Like :meth:`_kpi_case_query`, on the records of ``model_name``."""
        Case = self.env[model_name]
        Case.check_access('read')
        query = Case._search(
            Domain('company_id', 'in', companies.ids)
            & Domain(date_field, '>=', min(start for start, _end in periods))
            & Domain(date_field, '<', max(end for _start, end in periods))
            & Domain(domain or Domain.TRUE)
        )
        date_sql = Case._field_to_sql(Case._table, date_field, query)
        values = SQL(", ").join(
            SQL("(%s, %s::timestamp, %s::timestamp)", index, start, end)
            for index, (start, end) in enumerate(periods)
        )
        query.add_join(
            'JOIN', 'kpi_period',
            SQL("(SELECT * FROM (VALUES %s) AS kpi_values(idx, date_from, date_to))", values),
            SQL("%s >= kpi_period.date_from AND %s < kpi_period.date_to", date_sql, date_sql),
        )
        query.groupby = SQL("kpi_period.idx")
        return query

    @api.model
    def _kpi_fetch(self, query, periods, columns, empty):
        """Run ``query`` selecting ``columns`` (name: SQL aggregate) per
        period: ``[{name: value}]`` in the order of ``periods``, ``empty`` for
        a period without cases."""
        by_period = {}
        if not query.is_empty():
            rows = self.env.execute_query(
                query.select(SQL("kpi_period.idx"), *columns.values())
            )
            by_period = {row[0]: dict(zip(columns, row[1:], strict=True)) for row in rows}
        return [by_period.get(index, dict(empty)) for index in range(len(periods))]

    @api.model
    def _kpi_reported_cases(self, periods, companies):
        """Cases reported in each period, and how many of them were escalated
        (an escalation level above 0)."""
        Case = self.env['aftersales.case']
        query = self._kpi_case_query('date_reported', periods, companies)
        level = Case._field_to_sql(Case._table, 'escalation_level', query)
        return self._kpi_fetch(query, periods, {
            'count': SQL("COUNT(*)"),
            'escalated': SQL("COUNT(*) FILTER (WHERE %s > 0)", level),
        }, {'count': 0, 'escalated': 0})

    @api.model
    def _kpi_closed_cases(self, periods, companies):
        """Cases closed in each period, their time to resolution and their
        service level success rate.

        The time to resolution (average and median of the lead time, in
        hours) and the success rate (cases whose service level was met over
        those met or breached) leave out cancelled cases: they were closed
        without a solution.
        """
        Case = self.env['aftersales.case']
        query = self._kpi_case_query('date_closed', periods, companies)
        stage = query.left_join(Case._table, 'stage_id', 'aftersales_case_stage', 'id', 'stage_id')
        cancelled = self.env['aftersales.case.stage']._field_to_sql(stage, 'is_cancelled', query)
        solved = SQL("%s IS NOT TRUE", cancelled)
        lead_time = Case._field_to_sql(Case._table, 'lead_time', query)
        status = Case._field_to_sql(Case._table, 'sla_status', query)
        rows = self._kpi_fetch(query, periods, {
            'count': SQL("COUNT(*)"),
            'resolution_avg': SQL("AVG(%s) FILTER (WHERE %s)", lead_time, solved),
            'resolution_median': SQL(
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s) FILTER (WHERE %s)", lead_time, solved,
            ),
            'sla_met': SQL("COUNT(*) FILTER (WHERE %s AND %s = 'met')", solved, status),
            'sla_measured': SQL(
                "COUNT(*) FILTER (WHERE %s AND %s IN ('met', 'breached'))", solved, status,
            ),
        }, {'count': 0, 'resolution_avg': None, 'resolution_median': None,
            'sla_met': 0, 'sla_measured': 0})
        for row in rows:
            for key in ('resolution_avg', 'resolution_median'):
                if row[key] is not None:
                    row[key] = round(float(row[key]), 2)
            measured = row['sla_measured']
            row['sla_success_rate'] = round(100.0 * row['sla_met'] / measured, 2) if measured else None
        return rows

    @api.model
    def _kpi_churned_customers(self, periods, companies, now=None):
        """The number of churned customers among those with a case in each
        period.

        A customer is a commercial partner (a company, or a person without
        one). For a company C, customer P counts as churned in period W when:

        - P is the customer of at least one case of C reported in W;
        - no posted customer invoice (``out_invoice``) of C for P is dated
          (``invoice_date``) on or after the day (UTC) of P's last case in C
          (the latest date reported of its cases of C up to ``now``): P
          bought nothing since it last needed support;
        - nor on or after the day C's ``aftersales_churn_days`` days before
          ``now``: P bought nothing for that long.

        A customer who never bought counts as churned too. A customer of two
        companies counts once for each. Only the cases the user may read
        count; the invoices are checked whatever the user's accounting
        rights, since only this count of customers is disclosed.
        """
        now = now or fields.Datetime.now()
        window = self._kpi_churn_window_sql(periods, companies)
        if window is None:
            return [0] * len(periods)
        self.env['account.move'].flush_model(
            ['company_id', 'commercial_partner_id', 'move_type', 'state', 'invoice_date'])
        self.env['res.company'].flush_model(['aftersales_churn_days'])
        rows = self.env.execute_query(SQL(
            """
            WITH kpi_window_customer AS (%(window)s),
                 kpi_last_case AS (%(history)s)
            SELECT w.idx, COUNT(*)
              FROM kpi_window_customer w
              JOIN kpi_last_case l ON l.company_id = w.company_id AND l.customer_id = w.customer_id
              JOIN res_company company ON company.id = w.company_id
             WHERE NOT EXISTS (
                   SELECT 1
                     FROM account_move move
                    WHERE move.company_id = w.company_id
                      AND move.commercial_partner_id = w.customer_id
                      AND move.move_type = 'out_invoice'
                      AND move.state = 'posted'
                      AND move.invoice_date >= LEAST(
                          l.last_reported::date,
                          (%(now)s::timestamp
                           - make_interval(days => COALESCE(company.aftersales_churn_days, 0)))::date
                      )
               )
             GROUP BY w.idx
            """,
            window=window,
            history=self._kpi_churn_history_sql(companies, now),
            now=now,
        ))
        counts = dict(rows)
        return [counts.get(index, 0) for index in range(len(periods))]

    @api.model
    def _kpi_churn_window_sql(self, periods, companies):
        """``SELECT idx, company_id, customer_id``: the customers with a case
        the user may read in each period; ``None`` when there is none."""
        Case = self.env['aftersales.case']
        query = self._kpi_case_query('date_reported', periods, companies)
        company = Case._field_to_sql(Case._table, 'company_id', query)
        customer = Case._field_to_sql(Case._table, 'commercial_partner_id', query)
        query.add_where(SQL("%s IS NOT NULL", customer))
        if query.is_empty():
            return None
        query.groupby = SQL("kpi_period.idx, %s, %s", company, customer)
        return query.select(
            SQL("kpi_period.idx AS idx"),
            SQL("%s AS company_id", company),
            SQL("%s AS customer_id", customer),
        )

    @api.model
    def _kpi_churn_history_sql(self, companies, now):
        """``SELECT company_id, customer_id, last_reported``: the last case up
        to ``now`` the user may read of each customer of ``kpi_window_customer``."""
        Case = self.env['aftersales.case']
        query = Case._search(
            Domain('company_id', 'in', companies.ids)
            & Domain('commercial_partner_id', '!=', False)
            & Domain('date_reported', '<=', now)
        )
        company = Case._field_to_sql(Case._table, 'company_id', query)
        customer = Case._field_to_sql(Case._table, 'commercial_partner_id', query)
        query.add_where(SQL("%s IN (SELECT customer_id FROM kpi_window_customer)", customer))
        query.groupby = SQL("%s, %s", company, customer)
        return query.select(
            SQL("%s AS company_id", company),
            SQL("%s AS customer_id", customer),
            SQL("MAX(%s) AS last_reported", Case._field_to_sql(Case._table, 'date_reported', query)),
        )


def _trend(current, previous):
    """The change from ``previous`` to ``current`` in percent of ``previous``."""
    if current is None or not previous:
        return None
    return round((current - previous) * 100.0 / previous, 2)
