from odoo import fields, models
from odoo.exceptions import AccessError


class DigestDigest(models.Model):
    _inherit = 'digest.digest'

    kpi_aftersales_rma_returns = fields.Boolean(string="Returns")
    kpi_aftersales_rma_returns_value = fields.Integer(
        compute='_compute_kpi_aftersales_rma_returns_value', export_string_translation=False,
    )

    # Compute methods

    def _compute_kpi_aftersales_rma_returns_value(self):
        """The returns requested over the digest's period, cancelled ones left
        out: the key figure ``returns`` of ``aftersales.case.kpi``, for each
        digest's company, on the returns the recipient may read."""
        if not self.env.user.has_group('aftersales_case.aftersales_group_user'):
            raise AccessError(self.env._("Do not have access, skip this data for user's digest email"))
        start, end, __ = self._get_kpi_compute_parameters()
        if not start or not end:
            self.kpi_aftersales_rma_returns_value = 0
            return
        periods = [(fields.Datetime.to_datetime(start), fields.Datetime.to_datetime(end))]
        Kpi = self.env['aftersales.case.kpi']
        for company, digests in self.grouped(lambda d: d.company_id or self.env.company).items():
            digests.kpi_aftersales_rma_returns_value = Kpi._kpi_returns(periods, company)[0] or 0

    # Business methods

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref('aftersales_case.aftersales_menu_root').id
        res['kpi_aftersales_rma_returns'] = f'aftersales_rma.aftersales_rma_action?menu_id={menu}'
        return res
