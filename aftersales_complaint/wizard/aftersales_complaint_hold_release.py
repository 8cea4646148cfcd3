from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

ACCOUNTANT_GROUP = 'account.group_account_invoice'


class AftersalesComplaintHoldRelease(models.TransientModel):
    _name = 'aftersales.complaint.hold.release'
    _description = "Release Dunning Holds"

    hold_ids = fields.Many2many(
        'aftersales.complaint.hold', string="Holds", required=True,
        domain=[('state', '=', 'active')],
        default=lambda self: self._default_hold_ids(),
    )
    payment_term_id = fields.Many2one(
        'account.payment.term', string="New Payment Term",
        help="Counts the released invoices' new due date from today by this payment term: "
             "that of its last installment. A posted invoice keeps its lines and its own term.",
    )
    date_due = fields.Date(
        string="New Due Date", compute='_compute_date_due', store=True, readonly=False,
        help="Leave empty to keep the invoices' due dates.",
    )

    @api.model
    def _default_hold_ids(self):
        if self.env.context.get('active_model') == 'aftersales.complaint.hold':
            ids = self.env.context.get('active_ids', [])
        elif self.env.context.get('active_model') == 'account.move':
            ids = self.env['aftersales.complaint.hold'].search([
                ('move_id', 'in', self.env.context.get('active_ids', [])), ('state', '=', 'active'),
            ]).ids
        else:
            return []
        return self.env['aftersales.complaint.hold'].browse(ids).filtered(
            lambda hold: hold.state == 'active'
        ).ids

    @api.depends('payment_term_id')
    def _compute_date_due(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            term_lines = wizard.payment_term_id.line_ids
            if term_lines:
                wizard.date_due = max(line._get_due_date(today) for line in term_lines)

    def action_release(self):
        self.ensure_one()
        holds = self.hold_ids.filtered(lambda hold: hold.state == 'active')
        if not holds:
            raise UserError(self.env._("The selected holds were already released."))
        holds._check_can_release()
        if (self.date_due or self.payment_term_id) and not self.env.user.has_group(ACCOUNTANT_GROUP):
            raise AccessError(self.env._("Only accountants change the due date of invoices."))
        # sudo: the user's right to release was checked above.
        holds.sudo()._release()
        if self.date_due or self.payment_term_id:
            self._apply_new_terms(holds.move_id)
        return {'type': 'ir.actions.act_window_close'}

    def _apply_new_terms(self, moves):
        """Give the posted invoices their new due date on their open receivable
        lines, which only change date, so each invoice stays balanced. Core
        keeps the payment term of a posted invoice: the chosen term only
        counts the date."""
        if not self.date_due:
            return
        # Posted invoices: their lines must not be rebuilt from a payment term.
        moves = moves.with_context(skip_invoice_sync=True)
        moves.line_ids.filtered(
            lambda line: line.account_type == 'asset_receivable' and not line.reconciled
        ).date_maturity = self.date_due
        moves.write({'invoice_date_due': self.date_due})
        if self.payment_term_id:
            body = Markup(self.env._(
                "New due date after the dunning hold: %(date)s (payment term %(term)s from today).",
            )) % {'date': fields.Date.to_string(self.date_due), 'term': self.payment_term_id.name}
        else:
            body = Markup(self.env._(
                "New due date after the dunning hold: %(date)s.",
            )) % {'date': fields.Date.to_string(self.date_due)}
        moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))
