from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class AftersalesComplaintIsoReport(models.TransientModel):
    _name = 'aftersales.complaint.iso.report'
    _description = "Complaints Management Review"
    _check_company_auto = True

    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_date_to())
    company_id = fields.Many2one(
        'res.company', required=True, default=lambda self: self.env.company,
        domain=lambda self: [('id', 'in', self.env.companies.ids)],
    )

    def _default_date_from(self):
        # From the complaint list: the period of the complaints selected.
        complaints = self._selected_complaints()
        if complaints:
            return min(complaints.mapped('date_issue'))
        return fields.Date.context_today(self).replace(month=1, day=1)

    def _default_date_to(self):
        complaints = self._selected_complaints()
        if complaints:
            return max(complaints.mapped('date_issue'))
        return fields.Date.context_today(self)

    def _selected_complaints(self):
        if self.env.context.get('active_model') != 'aftersales.complaint':
            return self.env['aftersales.complaint']
        return self.env['aftersales.complaint'].browse(self.env.context.get('active_ids') or [])

    @api.constrains('date_from', 'date_to')
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._(
                    "The review period starts on %(date_from)s, after its end on %(date_to)s: "
                    "choose a start on or before the end.",
                    date_from=format_date(self.env, wizard.date_from),
                    date_to=format_date(self.env, wizard.date_to),
                ))

    def action_print(self):
        self.ensure_one()
        return self.env.ref('aftersales_complaint.action_report_complaint_iso').report_action(self)
