from odoo import fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    aftersales_case_count = fields.Integer(
        compute='_compute_aftersales_case_count', string="Case Count",
        groups='aftersales_case.aftersales_group_user',
    )

    def _compute_aftersales_case_count(self):
        # A company's button counts its contacts' cases too.
        counts = dict(self.env['aftersales.case']._read_group(
            [('commercial_partner_id', 'in', self.commercial_partner_id.ids)],
            ['commercial_partner_id'], ['__count'],
        ))
        for partner in self:
            partner.aftersales_case_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_cases(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_case.aftersales_case_action'
        )
        action['domain'] = [('commercial_partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {
            'default_partner_id': self.id,
            'search_default_filter_open': 1,
        }
        return action
