from odoo import fields, models


class AftersalesRmaRootCause(models.Model):
    _name = 'aftersales.rma.root.cause'
    _description = "Return Root Cause"
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _name_uniq = models.Constraint('unique (name)', "A root cause with this name already exists.")
