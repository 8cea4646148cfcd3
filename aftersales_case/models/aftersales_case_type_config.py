from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesCase(models.Model):
    """What a case type decides of the optional fields: shown, hidden, required."""

    _inherit = 'aftersales.case'

    # The type's configuration of optional fields, for the form's modifiers:
    # " name1 name2 " so that a view tests "' supplier_id ' in hidden_field_names".
    hidden_field_names = fields.Char(compute='_compute_field_names')
    required_field_names = fields.Char(compute='_compute_field_names')

    @api.depends('type_id.field_ids.required', 'type_id.field_ids.field_name')
    def _compute_field_names(self):
        optional = {name for name, _label in self._get_configurable_fields()}
        for case in self:
            lines = case.type_id.field_ids
            shown = set(lines.mapped('field_name')) if lines else optional
            required = set(lines.filtered('required').mapped('field_name'))
            case.hidden_field_names = _name_list(optional - shown)
            case.required_field_names = _name_list(required)

    @api.model
    def _get_configurable_fields(self):
        """The optional fields a case type may show, hide or require.

        Modules that add fields a type should control extend this list.
        """
        # A dict, not a list of pairs: Odoo's term extractor would also take
        # the field name opening each pair after a translated label.
        labels = {
            'contact_id': self.env._("Contact Person"),
            'reporter_id': self.env._("Reported By"),
            'product_ids': self.env._("Products"),
            'product_categ_id': self.env._("Product Category"),
            'supplier_id': self.env._("Supplier"),
            'cost': self.env._("Cost"),
            'risk': self.env._("Risk"),
            'impact': self.env._("Impact"),
            'root_cause': self.env._("Root Cause"),
            'date_deadline': self.env._("Deadline"),
            'planned_start': self.env._("Planned Start"),
            'planned_end': self.env._("Planned End"),
        }
        return list(labels.items())

    # Every configurable field, those other modules add included.
    @api.constrains(lambda self: ['type_id', *(name for name, _label in self._get_configurable_fields())])
    def _check_type_required_fields(self):
        labels = dict(self._get_configurable_fields())
        for case in self.filtered('type_id'):
            missing = [
                labels.get(name, name)
                for name in case.required_field_names.split()
                if name in case._fields and not case[name]
            ]
            if missing:
                raise ValidationError(self.env._(
                    "A case of type %(type)s needs: %(fields)s.",
                    type=case.type_id.name, fields=", ".join(missing),
                ))


def _name_list(names):
    return f" {' '.join(sorted(names))} " if names else " "
