from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    aftersales_warranty_registration_trigger = fields.Selection(
        related='company_id.aftersales_warranty_registration_trigger', readonly=False,
    )
