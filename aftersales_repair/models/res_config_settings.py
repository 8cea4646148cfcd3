from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    aftersales_repair_auto_create = fields.Boolean(
        related='company_id.aftersales_repair_auto_create', readonly=False,
    )
