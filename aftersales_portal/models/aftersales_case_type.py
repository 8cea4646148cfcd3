from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_case_type_field import PORTAL_FORM_FIELDS


class AftersalesCaseType(models.Model):
    _inherit = 'aftersales.case.type'

    portal_visible = fields.Boolean(
        string="Visible on the Portal",
        help="Customers choose this type when they open a case from their portal.",
    )

    @api.constrains('portal_visible', 'field_ids')
    def _check_portal_required_fields(self):
        """A type customers choose may require only what the portal asks them."""
        for case_type in self.filtered('portal_visible'):
            unfillable = case_type.field_ids.filtered(
                lambda line: line.required and not line.portal_editable
                and line.field_name not in PORTAL_FORM_FIELDS
            )
            if unfillable:
                labels = dict(unfillable._fields['field_name']._description_selection(self.env))
                raise ValidationError(self.env._(
                    "Customers open cases of type %(type)s on the portal, where they cannot fill "
                    "%(fields)s: tick \"Filled on the Portal\" where it can be, make it optional, or "
                    "hide the type from the portal.",
                    type=case_type.name,
                    fields=", ".join(labels[line.field_name] for line in unfillable),
                ))

    def _get_portal_fields(self):
        """``[(field name, label, required)]`` the customer fills for this type."""
        self.ensure_one()
        lines = self.field_ids.filtered('portal_editable')
        labels = dict(lines._fields['field_name']._description_selection(self.env))
        return [(line.field_name, labels[line.field_name], line.required) for line in lines]

    def _portal_requires_product(self):
        self.ensure_one()
        return 'product_ids' in self.field_ids.filtered('required').mapped('field_name')
