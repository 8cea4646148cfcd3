from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    aftersales_sla_margin_hours = fields.Float(
        related='company_id.aftersales_sla_margin_hours', readonly=False,
    )
    aftersales_churn_days = fields.Integer(
        related='company_id.aftersales_churn_days', readonly=False,
    )
