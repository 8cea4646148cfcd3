from odoo import fields, models


class AftersalesRmaReason(models.Model):
    _name = 'aftersales.rma.reason'
    _description = "Return Reason"
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    default_resolution = fields.Selection(
        selection=lambda self: self.env['aftersales.rma']._fields['requested_resolution'].selection,
        help="The resolution return lines with this reason get by default.",
    )

    _name_uniq = models.Constraint('unique (name)', "A return reason with this name already exists.")
