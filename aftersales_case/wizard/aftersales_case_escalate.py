from odoo import fields, models


class AftersalesCaseEscalate(models.TransientModel):
    _name = 'aftersales.case.escalate'
    _description = "Escalate a Case"

    case_id = fields.Many2one('aftersales.case', required=True, ondelete='cascade')
