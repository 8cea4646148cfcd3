from contextlib import nullcontext

from odoo import models
from odoo.addons.aftersales_case.tools import renewing_access_tokens


class AftersalesWarranty(models.Model):
    _name = 'aftersales.warranty'
    _inherit = ['aftersales.warranty', 'portal.mixin']

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for registration in self:
            registration.access_url = f'/my/warranties/{registration.id}'

    def write(self, vals):
        # A transfer to another owner: the former owner's link opens nothing.
        tokens = renewing_access_tokens(self) if 'partner_id' in vals else nullcontext()
        with tokens:
            return super().write(vals)
