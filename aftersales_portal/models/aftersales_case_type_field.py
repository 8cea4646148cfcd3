from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The optional fields a customer may fill on the portal's new case form, as
# the form asks for them: a date, a wished date and time, two levels.
PORTAL_EDITABLE_FIELDS = ('date_deadline', 'planned_start', 'impact', 'risk')
# The optional fields the form fills by itself: the customer's contact and
# the order, product and serial chosen from the customer's own lists.
PORTAL_FORM_FIELDS = ('contact_id', 'reporter_id', 'sale_order_id', 'product_ids', 'product_categ_id')


class AftersalesCaseTypeField(models.Model):
    _inherit = 'aftersales.case.type.field'

    portal_editable = fields.Boolean(
        string="Filled on the Portal",
        help="Customers fill this field on the portal's new case form. Only the deadline, "
             "the planned start, the impact and the risk can be.",
    )
    portal_fillable = fields.Boolean(compute='_compute_portal_fillable')

    @api.depends('field_name')
    def _compute_portal_fillable(self):
        for line in self:
            line.portal_fillable = line.field_name in PORTAL_EDITABLE_FIELDS

    @api.constrains('portal_editable', 'field_name')
    def _check_portal_editable(self):
        for line in self.filtered('portal_editable'):
            if line.field_name not in PORTAL_EDITABLE_FIELDS:
                raise ValidationError(self.env._(
                    "Customers cannot fill %(field)s on the portal: only the deadline, the planned "
                    "start, the impact and the risk can be.",
                    field=dict(line._fields['field_name']._description_selection(self.env))[line.field_name],
                ))

    @api.constrains('required', 'portal_editable', 'field_name', 'type_id')
    def _check_portal_type(self):
        self.type_id._check_portal_required_fields()
