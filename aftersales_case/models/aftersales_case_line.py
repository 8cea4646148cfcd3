from odoo import fields, models


class AftersalesCaseLine(models.Model):
    _name = 'aftersales.case.line'
    _description = "Time and Material Line"

    case_id = fields.Many2one('aftersales.case', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='case_id.company_id', store=True, index=True)
