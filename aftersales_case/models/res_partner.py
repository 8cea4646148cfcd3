from contextlib import ExitStack

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
        if not COMPANY_FIELDS.intersection(vals):
            return super().write(vals)
        # A contact who moves to another company takes no access to the
        # documents of the former one: their shared links stop opening them.
        with ExitStack() as tokens:
            for documents, contact_fields in self._aftersales_shared_documents():
                tokens.enter_context(renewing_access_tokens(documents, contact_fields=contact_fields))
            return super().write(vals)

    def _aftersales_shared_documents(self):
        """``[(documents about these partners that have an access token, their
        contact fields)]``; each module adds its portal documents."""
        # sudo: tokens are renewed on every document concerned, whoever moves the contact.
        cases = self.env['aftersales.case'].sudo().with_context(active_test=False).search([
            ('access_token', '!=', False),
            '|', ('partner_id', 'child_of', self.ids), ('contact_id', 'child_of', self.ids),
        ])
        return [(cases, ('contact_id',))]

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
