from odoo import fields, models
from odoo.exceptions import AccessError


class DigestDigest(models.Model):
    _inherit = 'digest.digest'

    kpi_aftersales_case_opened = fields.Boolean(string="New Cases")
    kpi_aftersales_case_opened_value = fields.Integer(
        compute='_compute_kpi_aftersales_case_opened_value', export_string_translation=False,
    )
    kpi_aftersales_case_closed = fields.Boolean(string="Closed Cases")
    kpi_aftersales_case_closed_value = fields.Integer(
        compute='_compute_kpi_aftersales_case_closed_value', export_string_translation=False,
    )
    kpi_aftersales_case_escalated = fields.Boolean(string="Escalated Cases")
    kpi_aftersales_case_escalated_value = fields.Integer(
        compute='_compute_kpi_aftersales_case_escalated_value', export_string_translation=False,
    )
    kpi_aftersales_resolution_hours = fields.Boolean(string="Median Time to Resolution (hours)")
    kpi_aftersales_resolution_hours_value = fields.Float(
        compute='_compute_kpi_aftersales_resolution_hours_value', export_string_translation=False,
    )
    kpi_aftersales_sla_success = fields.Boolean(string="Service Level Success (%)")
    kpi_aftersales_sla_success_value = fields.Float(
        compute='_compute_kpi_aftersales_sla_success_value', export_string_translation=False,
    )
    kpi_aftersales_churned_customers = fields.Boolean(string="Churned Customers")
    kpi_aftersales_churned_customers_value = fields.Integer(
        compute='_compute_kpi_aftersales_churned_customers_value', export_string_translation=False,
    )

    # Compute methods

    def _compute_kpi_aftersales_case_opened_value(self):
        self._compute_aftersales_kpi('kpi_aftersales_case_opened_value', '_kpi_reported_cases', 'count')

    def _compute_kpi_aftersales_case_closed_value(self):
        self._compute_aftersales_kpi('kpi_aftersales_case_closed_value', '_kpi_closed_cases', 'count')

    def _compute_kpi_aftersales_case_escalated_value(self):
        self._compute_aftersales_kpi(
            'kpi_aftersales_case_escalated_value', '_kpi_reported_cases', 'escalated')

    def _compute_kpi_aftersales_resolution_hours_value(self):
        self._compute_aftersales_kpi(
            'kpi_aftersales_resolution_hours_value', '_kpi_closed_cases', 'resolution_median')

    def _compute_kpi_aftersales_sla_success_value(self):
        self._compute_aftersales_kpi(
            'kpi_aftersales_sla_success_value', '_kpi_closed_cases', 'sla_success_rate')

    def _compute_kpi_aftersales_churned_customers_value(self):
        self._compute_aftersales_kpi('kpi_aftersales_churned_customers_value', '_kpi_churned_customers')

    def _compute_aftersales_kpi(self, field_name, method, column=None):
        """Set ``field_name`` to ``column`` of the key figure query ``method``
        of ``aftersales.case.kpi`` (its value when the method gives one value
        per period), for each digest's company over the digest's period (from
        the context): one query per company.

        The figures cover the cases the recipient may read: an agent limited
        to their own and their teams' cases gets those; a recipient without
        access to cases gets none (the digest skips the figure).
        """
        if not self.env.user.has_group('aftersales_case.aftersales_group_user'):
            raise AccessError(self.env._("Do not have access, skip this data for user's digest email"))
        start, end, __ = self._get_kpi_compute_parameters()
        if not start or not end:
            self[field_name] = 0
            return
        periods = [(fields.Datetime.to_datetime(start), fields.Datetime.to_datetime(end))]
        Kpi = self.env['aftersales.case.kpi']
        for company, digests in self.grouped(lambda d: d.company_id or self.env.company).items():
            value = getattr(Kpi, method)(periods, company)[0]
            digests[field_name] = (value if column is None else value[column]) or 0

    # Business methods

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref('aftersales_case.aftersales_menu_root').id
        actions = {
            'kpi_aftersales_case_opened': 'aftersales_case.aftersales_case_action_report_open',
            'kpi_aftersales_case_closed': 'aftersales_case.aftersales_case_action_report_closed',
            'kpi_aftersales_case_escalated': 'aftersales_case.aftersales_case_action_report_escalation_open',
            'kpi_aftersales_resolution_hours': 'aftersales_case.aftersales_case_action_report_closed',
            'kpi_aftersales_sla_success': 'aftersales_case.aftersales_case_action_report_closed',
            'kpi_aftersales_churned_customers': 'aftersales_case.aftersales_case_action_report_churn',
        }
        res.update({kpi: f'{action}?menu_id={menu}' for kpi, action in actions.items()})
        return res
