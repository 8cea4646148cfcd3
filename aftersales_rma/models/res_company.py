from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    aftersales_rma_team_id = fields.Many2one(
        'aftersales.team', string="Returns Team",
        help="The team told at once when a case of type return is opened.",
    )
    aftersales_rma_credit_user_id = fields.Many2one(
        'res.users', string="Credit Controller",
        help="Gets an activity when goods to refund arrive.",
    )
