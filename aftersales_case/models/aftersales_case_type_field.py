from odoo import api, fields, models


class AftersalesCaseTypeField(models.Model):
    _name = 'aftersales.case.type.field'
    _description = "Optional Field of a Case Type"
    _order = 'type_id, sequence, id'

    type_id = fields.Many2one(
        'aftersales.case.type', required=True, index=True, ondelete='cascade',
    )
    sequence = fields.Integer(default=10)
    field_name = fields.Selection(
        selection='_selection_field_name', string="Field", required=True,
    )
    required = fields.Boolean(help="Cases of this type cannot be saved without it.")

    _type_field_uniq = models.Constraint(
        'unique (type_id, field_name)', "A field is listed once per case type.",
    )

    @api.model
    def _selection_field_name(self):
        return self.env['aftersales.case']._get_configurable_fields()
