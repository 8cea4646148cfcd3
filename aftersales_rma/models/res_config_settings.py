from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    aftersales_rma_team_id = fields.Many2one(
        related='company_id.aftersales_rma_team_id', readonly=False,
    )
    aftersales_rma_credit_user_id = fields.Many2one(
        related='company_id.aftersales_rma_credit_user_id', readonly=False,
    )
