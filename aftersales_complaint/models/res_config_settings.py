from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    aftersales_complaint_adjustment_product_id = fields.Many2one(
        related='company_id.aftersales_complaint_adjustment_product_id', readonly=False,
    )
    aftersales_complaint_close_days = fields.Integer(
        related='company_id.aftersales_complaint_close_days', readonly=False,
    )
