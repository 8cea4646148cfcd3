import json
import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

ACCOUNTING_GROUPS = 'account.group_account_invoice,account.group_account_readonly'


class AccountMove(models.Model):
    _inherit = 'account.move'

    # Only accounting users may read reminders: portal and plain internal
    # users reading an invoice never meet these fields.
    aftersales_reminder_ids = fields.One2many(
        'aftersales.reminder', 'move_id', string="Reminders", groups=ACCOUNTING_GROUPS,
    )
    aftersales_reminder_count = fields.Integer(
        string="Reminder Count", compute='_compute_aftersales_reminder_count', groups=ACCOUNTING_GROUPS,
    )
    aftersales_reminder_level_id = fields.Many2one(
        'aftersales.reminder.level', string="Last Reminder", compute='_compute_aftersales_reminder_level_id',
        store=True, index='btree_not_null', copy=False, groups=ACCOUNTING_GROUPS,
        help="The highest payment reminder level sent for this invoice.",
    )

    @api.depends('aftersales_reminder_ids')
    def _compute_aftersales_reminder_count(self):
        counts = dict(self.env['aftersales.reminder']._read_group(
            [('move_id', 'in', self.ids)], ['move_id'], ['__count'],
        ))
        for move in self:
            move.aftersales_reminder_count = counts.get(move, 0)

    @api.depends('aftersales_reminder_ids.level_id.days')
    def _compute_aftersales_reminder_level_id(self):
        for move in self:
            levels = move.aftersales_reminder_ids.level_id.with_context(active_test=False)
            move.aftersales_reminder_level_id = levels.sorted('days')[-1:]

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_view_aftersales_reminders(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_complaint.aftersales_reminder_action',
        )
        action['domain'] = [('move_id', '=', self.id)]
        action['context'] = {'create': False}
        return action

    def action_send_aftersales_reminders(self):
        """Send the due reminder level of the selected invoices now, by the
        same rules as the daily run, and say what was skipped and why."""
        if not self.env.user.has_group('account.group_account_invoice'):
            raise AccessError(self.env._("Only invoicing users can send payment reminders."))
        on_hold = self.filtered('no_followup')
        reminders = self.env['aftersales.reminder']._send_reminders(self - on_hold)
        nothing_due = self - on_hold - reminders.move_id
        message = self.env._(
            "Payment reminders sent: %(sent)s. Skipped: %(held)s on hold (no follow-up), "
            "%(nothing)s with no reminder due (paid, not overdue enough or level already sent).",
            sent=len(reminders), held=len(on_hold), nothing=len(nothing_due),
        )
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'title': self.env._("Payment Reminders"),
                'message': message,
                'type': 'success' if reminders else 'warning',
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _aftersales_ensure_access_token(self):
        """Give the portal link of each reminder a token, in one query for the
        whole batch instead of one invoice write (and its checks) each."""
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        self.env.execute_query(SQL(
            "UPDATE account_move SET access_token = %s::jsonb->>(id::text) WHERE id IN %s",
            json.dumps({str(move_id): str(uuid.uuid4()) for move_id in missing.ids}),
            tuple(missing.ids),
        ))
        missing.invalidate_recordset(['access_token'])
