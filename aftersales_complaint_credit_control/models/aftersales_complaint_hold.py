from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

CREDIT_CONTROL_READERS = (
    'account_credit_control.group_account_credit_control_manager,'
    'account_credit_control.group_account_credit_control_user,'
    'account_credit_control.group_account_credit_control_info'
)


class AftersalesComplaintHold(models.Model):
    _inherit = 'aftersales.complaint.hold'

    previous_credit_policy_id = fields.Many2one(
        'credit.control.policy', string="Previous Credit Control Policy", readonly=True,
        ondelete='set null', groups=CREDIT_CONTROL_READERS,
        help="The credit control policy the invoice had before the complaints held it "
             "(empty: the partner's or the company's): it gets it back when its last hold "
             "is released.",
    )

    # Business methods

    def _hold_invoices(self):
        """Also move the held invoices to their company's no follow-up policy,
        and set aside the reminders Credit Control drafted and did not send."""
        policies = self._get_no_follow_policies()
        result = super()._hold_invoices()
        self._hold_credit_policy(policies)
        return result

    def _hold_credit_policy(self, policies=None):
        holds = self.sudo()
        policies = policies or holds._get_no_follow_policies()
        earlier = holds.search([
            ('move_id', 'in', holds.move_id.ids), ('state', '=', 'active'),
            ('id', 'not in', holds.ids),
        ])
        previous = {hold.move_id: hold.previous_credit_policy_id for hold in earlier}
        for hold in holds:
            hold.previous_credit_policy_id = previous.get(hold.move_id, hold.move_id.credit_policy_id)
        for company, moves in holds.move_id.grouped('company_id').items():
            moves._aftersales_set_credit_policy(policies[company])
        holds.move_id.credit_control_line_ids.filtered(
            lambda line: line.state == 'draft'
        ).state = 'ignored'

    def _free_invoices(self, moves):
        result = super()._free_invoices(moves)
        self._restore_credit_policy(moves)
        return result

    def _restore_credit_policy(self, moves):
        """Give ``moves`` back the policy they had before their first hold."""
        holds = self.sudo()
        previous_by_move = {hold.move_id: hold.previous_credit_policy_id for hold in holds}
        to_restore = defaultdict(moves.browse)
        for move in moves:
            to_restore[previous_by_move[move]] |= move
        for policy, restored in to_restore.items():
            restored._aftersales_set_credit_policy(policy)

    def _get_no_follow_policies(self):
        """Per company of the held invoices, its own "do nothing" policy,
        else a shared one; before anything is held, so a missing one stops
        the hold whole."""
        Policy = self.env['credit.control.policy'].sudo()
        policies = {}
        for company in self.sudo().move_id.company_id:
            policies[company] = Policy.search([
                ('do_nothing', '=', True), ('company_id', 'in', [company.id, False]),
            ], order='company_id, id', limit=1)
            if not policies[company]:
                raise UserError(self.env._(
                    "Credit Control has no policy that sends nothing for %(company)s: create one "
                    "(\"Do nothing\" ticked) before a complaint holds an invoice.",
                    company=company.name,
                ))
        return policies
