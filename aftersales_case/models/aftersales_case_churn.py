from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class AftersalesCase(models.Model):
    """Whether a case's customer churned: what the dashboard counts and opens."""

    _inherit = 'aftersales.case'

    is_customer_churned = fields.Boolean(
        string="Churned Customer", compute='_compute_is_customer_churned',
        search='_search_is_customer_churned',
        help="The customer bought nothing from the case's company since its last case, "
             "nor within the company's churn window.",
    )

    # Compute and search methods

    def _compute_is_customer_churned(self):
        churned = self.with_context(active_test=False).search(
            Domain('id', 'in', self.ids) & self._churned_domain(),
        ) if self.ids else self.browse()
        for case in self:
            case.is_customer_churned = case in churned

    def _search_is_customer_churned(self, operator, value):
        if operator != 'in':
            return NotImplemented
        return self._churned_domain() if True in value else ~self._churned_domain()

    # Business methods

    @api.model
    def _churned_domain(self):
        """The cases whose customer churned, as of now.

        The same rule as the key figure ``churned_customers`` of
        ``aftersales.case.kpi``: no posted customer invoice of the case's
        company for its commercial partner is dated on or after the day of
        the customer's last case in that company, nor on or after the first
        day of the company's churn window (``aftersales_churn_days``). The
        last case is looked up among all the customer's active cases of the
        company, so that a user's record rules do not move it.
        """
        now = fields.Datetime.now()
        for model, names in (
            ('account.move', ['company_id', 'commercial_partner_id', 'move_type', 'state', 'invoice_date']),
            ('aftersales.case', ['company_id', 'commercial_partner_id', 'date_reported', 'active']),
            ('res.company', ['aftersales_churn_days']),
        ):
            self.env[model].flush_model(names)

        # The churned customers of each company, looked up once for all the
        # cases: "IS TRUE" keeps the planner from turning the subquery into a
        # join whose size it underestimates (a nested loop over the customers);
        # it stays a hashed subplan that each case of the period probes.
        churned = SQL(
            """SELECT last_case.company_id, last_case.commercial_partner_id
                 FROM (SELECT company_id, commercial_partner_id, MAX(date_reported) AS last_reported
                         FROM aftersales_case
                        WHERE active AND commercial_partner_id IS NOT NULL AND date_reported <= %(now)s
                        GROUP BY company_id, commercial_partner_id) last_case
                 JOIN res_company company ON company.id = last_case.company_id
                WHERE NOT EXISTS (
                      SELECT 1
                        FROM account_move move
                       WHERE move.company_id = last_case.company_id
                         AND move.commercial_partner_id = last_case.commercial_partner_id
                         AND move.move_type = 'out_invoice'
                         AND move.state = 'posted'
                         AND move.invoice_date >= LEAST(
                             last_case.last_reported::date,
                             (%(now)s::timestamp
                              - make_interval(days => COALESCE(company.aftersales_churn_days, 0)))::date
                         )
                )""",
            now=now,
        )

        def to_sql(model, alias, query):
            # Never NULL, so that its negation holds the cases without a customer.
            customer = SQL.identifier(alias, 'commercial_partner_id')
            return SQL(
                "(%s IS NOT NULL AND ((%s, %s) IN (%s)) IS TRUE)",
                customer, SQL.identifier(alias, 'company_id'), customer, churned,
            )

        return Domain.custom(to_sql=to_sql)
