from odoo import models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    def _aftersales_shared_documents(self):
        # sudo: tokens are renewed on every return concerned, whoever moves the contact.
        rmas = self.env['aftersales.rma'].sudo().search([
            ('access_token', '!=', False), ('partner_id', 'child_of', self.ids),
        ])
        return [*super()._aftersales_shared_documents(), (rmas, ())]
