from odoo import fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    aftersales_complaint_count = fields.Integer(
        compute='_compute_aftersales_complaint_count', string="Complaint Count",
        groups='aftersales_complaint.aftersales_complaint_group_user',
    )

    def _compute_aftersales_complaint_count(self):
        # One query for every partner shown; a company counts its contacts'
        # complaints too, the record rules deciding which ones are seen.
        counts = dict(self.env['aftersales.complaint']._read_group(
            [('commercial_partner_id', 'in', self.commercial_partner_id.ids)],
            ['commercial_partner_id'], ['__count'],
        ))
        for partner in self:
            partner.aftersales_complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_complaints(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_complaint.aftersales_complaint_action'
        )
        action['domain'] = [('commercial_partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {'default_partner_id': self.id}
        return action
