from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesSupplierAssessmentPrint(models.TransientModel):
    _name = 'aftersales.supplier.assessment.print'
    _description = "Print a Supplier Assessment"

    partner_id = fields.Many2one(
        'res.partner', string="Supplier", required=True,
        default=lambda self: self._default_partner_id(),
    )
    date_from = fields.Date(
        string="From", required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    @api.model
    def _default_partner_id(self):
        if self.env.context.get('active_model') == 'res.partner':
            return self.env.context.get('active_id')
        return False

    def action_print(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._(
                "The period of the assessment ends on %(date_to)s, before it starts on %(date_from)s.",
                date_to=self.date_to, date_from=self.date_from,
            ))
        return self.env.ref('aftersales_supplier_rating.action_report_supplier_assessment').report_action(
            self.partner_id, data=self._prepare_report_data(),
        )

    def _prepare_report_data(self):
        return {
            'date_from': fields.Date.to_string(self.date_from),
            'date_to': fields.Date.to_string(self.date_to),
        }
