from contextlib import nullcontext

from odoo import models
from odoo.addons.aftersales_case.tools import renewing_access_tokens


class AftersalesWarrantyClaim(models.Model):
    _name = 'aftersales.warranty.claim'
    _inherit = ['aftersales.warranty.claim', 'portal.mixin']

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for claim in self:
            claim.access_url = f'/my/warranty_claims/{claim.id}'

    def write(self, vals):
        tokens = renewing_access_tokens(self) if 'partner_id' in vals else nullcontext()
        with tokens:
            return super().write(vals)

    def _get_portal_status(self):
        """``(label, css class)`` of the claim's badge on the portal."""
        self.ensure_one()
        label = dict(self._fields['state']._description_selection(self.env))[self.state]
        css = {
            'draft': 'text-bg-info', 'accepted': 'text-bg-primary', 'refused': 'text-bg-danger',
            'done': 'text-bg-success',
        }.get(self.state, 'text-bg-secondary')
        return label, css
