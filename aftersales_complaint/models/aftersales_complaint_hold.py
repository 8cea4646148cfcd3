from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

AGENT_GROUP = 'aftersales_complaint.aftersales_complaint_group_user'
MANAGER_GROUP = 'aftersales_complaint.aftersales_complaint_group_manager'
ACCOUNTANT_GROUP = 'account.group_account_invoice'
# A complaint in these states may still hold invoices; closing it releases them.
HOLDING_STATES = ('draft', 'registered', 'planned')


class AftersalesComplaintHold(models.Model):
    _name = 'aftersales.complaint.hold'
    _description = "Dunning Hold of a Complaint"
    _order = 'create_date desc, id desc'
    _rec_name = 'move_id'

    complaint_id = fields.Many2one(
        'aftersales.complaint', required=True, index=True, ondelete='restrict',
    )
    move_id = fields.Many2one(
        'account.move', string="Invoice", required=True, index=True, ondelete='restrict',
        domain=[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')],
    )
    company_id = fields.Many2one(related='move_id.company_id', store=True, index=True)
    partner_id = fields.Many2one(related='move_id.partner_id', string="Customer")
    currency_id = fields.Many2one(related='move_id.currency_id')
    amount_residual = fields.Monetary(related='move_id.amount_residual', string="Amount Due")
    invoice_date_due = fields.Date(related='move_id.invoice_date_due', string="Due Date")
    state = fields.Selection(
        [('active', "Active"), ('released', "Released")],
        default='active', required=True, readonly=True, index=True,
    )
    active = fields.Boolean(default=True)
    previous_no_followup = fields.Boolean(
        string="Previously Excluded from Follow-Up", readonly=True,
        help="Whether the invoice was excluded from follow-up before the complaints held it: "
             "it gets this value back when its last hold is released.",
    )
    date_released = fields.Datetime(readonly=True)
    released_by_id = fields.Many2one('res.users', readonly=True)

    _active_move_uniq = models.UniqueIndex(
        "(complaint_id, move_id) WHERE state = 'active'",
        "A complaint holds an invoice only once at a time.",
    )

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        """Hold invoices from follow-up. Agents hold for the complaints they
        may change; the holds and the invoices' flag are written in sudo."""
        if not self.env.su:
            if not self.env.user.has_group(AGENT_GROUP):
                raise AccessError(self.env._("Only complaint agents can hold invoices from dunning."))
            complaints = self.env['aftersales.complaint'].browse(
                {vals.get('complaint_id') for vals in vals_list}
            )
            complaints.check_access('write')
        moves = self.env['account.move'].sudo().browse({vals.get('move_id') for vals in vals_list})
        moves._aftersales_lock_holds()
        # sudo: the agent's rights on the complaints were checked above, and
        # neither agents nor accountants write the invoice lines' flag by hand.
        holds = super(AftersalesComplaintHold, self.sudo()).create(vals_list)
        holds._check_holdable()
        holds._hold_invoices()
        holds._log_hold()
        return holds.with_env(self.env)

    def write(self, vals):
        # Holds change through hold and release only.
        if not self.env.su and set(vals) - {'active'}:
            raise AccessError(self.env._("Holds are changed by holding and releasing invoices only."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Dunning holds are kept as history: archive them instead."))

    # Actions

    def action_release(self):
        """Release the active holds by hand (accountants and complaint managers)."""
        self._check_can_release()
        self.sudo()._release()

    # Business methods

    def _check_can_release(self):
        user = self.env.user
        if not (user.has_group(ACCOUNTANT_GROUP) or user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._("Only accountants and complaint managers release dunning holds."))
        self.check_access('read')

    def _check_holdable(self):
        """Only posted customer invoices of the complaint's company are held."""
        for hold in self:
            move, complaint = hold.move_id, hold.complaint_id
            if move.move_type != 'out_invoice' or move.state != 'posted':
                raise UserError(self.env._(
                    "Complaint %(complaint)s can only hold posted customer invoices, not %(move)s.",
                    complaint=complaint.name, move=move.display_name,
                ))
            if move.company_id != complaint.company_id:
                raise UserError(self.env._(
                    "Complaint %(complaint)s can only hold invoices of its company, not %(move)s.",
                    complaint=complaint.name, move=move.display_name,
                ))
            if complaint.state not in HOLDING_STATES:
                raise UserError(self.env._(
                    "Complaint %(complaint)s is closed: it can no longer hold invoices.",
                    complaint=complaint.name,
                ))
            if move.commercial_partner_id != complaint.commercial_partner_id:
                raise UserError(self.env._(
                    "Complaint %(complaint)s can only hold invoices of its customer, not %(move)s.",
                    complaint=complaint.name, move=move.display_name,
                ))

    def _hold_invoices(self):
        """Exclude the new holds' invoices from follow-up, remembering on
        each hold what the invoice had before; bridges to other dunning
        tools extend it (and ``_free_invoices``)."""
        previous = self._get_previous_no_followup()
        for hold in self:
            hold.previous_no_followup = previous[hold.move_id]
        self.move_id._aftersales_set_no_followup(True)

    def _free_invoices(self, moves):
        """Give ``moves``, no longer held by any complaint, the follow-up
        they had before their first hold; ``self`` are the holds just released."""
        previous_by_move = {hold.move_id: hold.previous_no_followup for hold in self}
        to_restore = defaultdict(moves.browse)
        for move in moves:
            to_restore[previous_by_move[move]] |= move
        for value, restored in to_restore.items():
            restored._aftersales_set_no_followup(value)

    def _get_previous_no_followup(self):
        """Per invoice, the flag it had before its first active hold: kept on
        the hold already there, or read from the invoice for a first hold."""
        earlier = self.search([
            ('move_id', 'in', self.move_id.ids), ('state', '=', 'active'), ('id', 'not in', self.ids),
        ])
        previous = {hold.move_id: hold.previous_no_followup for hold in earlier}
        for move in self.move_id:
            previous.setdefault(move, move.no_followup)
        return previous

    def _release(self):
        """Release the active holds of ``self``; an invoice follows up again
        as before once its last active hold is released."""
        holds = self.filtered(lambda hold: hold.state == 'active')
        if not holds:
            return
        moves = holds.move_id
        moves._aftersales_lock_holds()
        # The callers checked the release right and run it in sudo.
        holds.sudo().write({
            'state': 'released',
            'date_released': fields.Datetime.now(),
            'released_by_id': self.env.uid,
        })
        still_held = {move for [move] in self._read_group(
            [('move_id', 'in', moves.ids), ('state', '=', 'active')], ['move_id'],
        )}
        holds._free_invoices(moves.filtered(lambda move: move not in still_held))
        holds._log_release()

    def _log_hold(self):
        self._log_on_documents(Markup(self.env._(
            "Invoice %(move)s held from dunning by complaint %(complaint)s.",
        )))

    def _log_release(self):
        self._log_on_documents(Markup(self.env._(
            "Dunning hold of invoice %(move)s by complaint %(complaint)s released.",
        )))

    def _log_on_documents(self, template):
        """Write one note per hold on its complaint and on its invoice, in two
        batches (the callers checked the rights)."""
        complaint_bodies = defaultdict(list)
        move_bodies = defaultdict(list)
        for hold in self:
            body = template % {
                'move': hold.move_id._get_html_link(),
                'complaint': hold.complaint_id._get_html_link(),
            }
            complaint_bodies[hold.complaint_id.id].append(body)
            move_bodies[hold.move_id.id].append(body)
        for model, bodies in (('aftersales.complaint', complaint_bodies), ('account.move', move_bodies)):
            self.env[model].sudo().browse(bodies)._message_log_batch(
                bodies={res_id: Markup('<br/>').join(lines) for res_id, lines in bodies.items()},
            )
