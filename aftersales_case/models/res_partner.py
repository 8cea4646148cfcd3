from contextlib import nullcontext

from odoo import fields, models

from ..tools import renewing_access_tokens

# A partner's company (its commercial partner) follows from these.
COMPANY_FIELDS = {'parent_id', 'is_company'}


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

    # CRUD methods

    def write(self, vals):
        # A contact who moves to another company takes no access to the
        # cases of the former one: their shared links stop opening them.
        tokens = renewing_access_tokens(
            self._aftersales_cases_shared_with(), contact_fields=('contact_id',),
        ) if COMPANY_FIELDS.intersection(vals) else nullcontext()
        with tokens:
            return super().write(vals)

    def _aftersales_cases_shared_with(self):
        """The cases about these partners (or their contacts) that have an access token."""
        # sudo: tokens are renewed on every case concerned, whoever moves the contact.
        return self.env['aftersales.case'].sudo().with_context(active_test=False).search([
            ('access_token', '!=', False),
            '|', ('partner_id', 'child_of', self.ids), ('contact_id', 'child_of', self.ids),
        ])

    # Actions

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
