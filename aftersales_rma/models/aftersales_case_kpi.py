from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL


class AftersalesCaseKpi(models.AbstractModel):
    _inherit = 'aftersales.case.kpi'

    @api.model
    def _compute_kpi_values(self, periods, companies=None):
        values = super()._compute_kpi_values(periods, companies)
        companies = companies if companies is not None else self.env.companies
        values['returns'] = self._kpi_entry(
            self.env._("Returns"), 'count', 30, self._kpi_returns(periods, companies),
        )
        return values

    @api.model
    def _kpi_returns(self, periods, companies):
        """Returns requested in each period, cancelled ones left out."""
        if not self.env['aftersales.rma'].has_access('read'):
            return [None] * len(periods)
        query = self._kpi_period_query(
            'aftersales.rma', 'date', periods, companies, Domain('state', '!=', 'cancel'),
        )
        return [row['count'] for row in self._kpi_fetch(
            query, periods, {'count': SQL("COUNT(*)")}, {'count': 0},
        )]
