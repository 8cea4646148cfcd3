from odoo import api, fields, models


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    complaint_ids = fields.One2many('aftersales.complaint', 'case_id', string="Complaints")
    complaint_count = fields.Integer(
        compute='_compute_complaint_count',
        groups='aftersales_complaint.aftersales_complaint_group_user',
    )

    @api.depends('complaint_ids')
    def _compute_complaint_count(self):
        counts = dict(self.env['aftersales.complaint']._read_group(
            [('case_id', 'in', self.ids)], ['case_id'], ['__count'],
        ))
        for case in self:
            case.complaint_count = counts.get(case, 0)

    # Actions

    def action_make_complaint(self):
        """Turn the case into a complaint: the customer's words become a
        document with its own action plan and review, linked to the case."""
        self.ensure_one()
        # A second click (or a second call) opens the case's complaint still
        # in progress rather than filing the same grievance twice.
        complaint = self.complaint_ids.filtered(
            lambda c: c.state not in ('rejected', 'cancelled')
        )[:1] or self.env['aftersales.complaint'].create(self._prepare_complaint_vals())
        return complaint._get_form_action()

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_complaint.aftersales_complaint_action'
        )
        if self.complaint_count == 1:
            return self.complaint_ids._get_form_action()
        action['domain'] = [('case_id', '=', self.id)]
        action['context'] = {'default_case_id': self.id, 'default_partner_id': self.partner_id.id}
        return action

    # Business methods

    def _prepare_complaint_vals(self):
        self.ensure_one()
        return {
            'case_id': self.id,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
            'contact_ids': [fields.Command.set(self.contact_id.ids)],
            'title': self.subject,
            'description': self.description,
            'product_ids': [fields.Command.set(self.product_ids.ids)],
            'user_id': self.user_id.id or self.env.user.id,
        }
