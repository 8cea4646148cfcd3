from odoo import fields, models


class AftersalesSolution(models.Model):
    _name = 'aftersales.solution'
    _description = "Knowledge Base Solution"

    name = fields.Char(string="Title", required=True)
    company_id = fields.Many2one('res.company', default=lambda self: self.env.company)
