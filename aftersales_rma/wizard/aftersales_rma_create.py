from odoo import fields, models


class AftersalesRmaCreate(models.TransientModel):
    _name = 'aftersales.rma.create'
    _description = "Create a Return"

    partner_id = fields.Many2one('res.partner')


class AftersalesRmaCreateLine(models.TransientModel):
    _name = 'aftersales.rma.create.line'
    _description = "Create a Return: Line"

    wizard_id = fields.Many2one('aftersales.rma.create', required=True, ondelete='cascade')
