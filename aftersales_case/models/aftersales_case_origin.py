from odoo import fields, models


class AftersalesCaseOrigin(models.Model):
    _name = 'aftersales.case.origin'
    _description = "After-Sales Case Origin"
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint('unique (name)', "An origin with this name already exists.")
