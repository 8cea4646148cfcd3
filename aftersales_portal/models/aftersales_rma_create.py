from odoo import models


class AftersalesRmaCreate(models.TransientModel):
    _inherit = 'aftersales.rma.create'

    def _prepare_rma_vals(self, lines):
        vals = super()._prepare_rma_vals(lines)
        if self.env.user.share:
            # A customer's own request (portal, in sudo after its checks): the
            # team's assignment gives it a responsible, not the customer.
            vals['user_id'] = False
        return vals
