from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

REMINDER_BATCH_SIZE = 200


class AftersalesReminder(models.Model):
    _name = 'aftersales.reminder'
    _description = "Payment Reminder"
    _order = 'date desc, id desc'
    _rec_name = 'move_id'

    move_id = fields.Many2one(
        'account.move', string="Invoice", required=True, index=True, ondelete='cascade',
        readonly=True,
    )
    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one(related='move_id.company_id', store=True, index=True)
    level_id = fields.Many2one(
        'aftersales.reminder.level', required=True, ondelete='restrict', readonly=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    user_id = fields.Many2one(
        'res.users', string="Sent By", default=lambda self: self.env.user, readonly=True,
    )
    mail_id = fields.Many2one('mail.mail', string="E-mail", ondelete='set null', readonly=True)
    mail_message_id = fields.Many2one('mail.message', string="Message", ondelete='set null', readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", currency_field='currency_id', readonly=True)
    currency_id = fields.Many2one(related='move_id.currency_id')
    invoice_date_due = fields.Date(related='move_id.invoice_date_due', string="Due Date")

    _move_level_uniq = models.Constraint(
        'unique (move_id, level_id)',
        "An invoice gets each reminder level only once.",
    )

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def _get_due_level(self, move, levels, today):
        """The highest of ``levels`` due for ``move`` today, if not sent yet.

        Only the highest due level counts, so a very late invoice gets one
        mail (the final notice) instead of every milder one at once.
        """
        if (move.move_type != 'out_invoice' or move.state != 'posted'
                or move.payment_state not in ('not_paid', 'partial')
                or move.no_followup or not move.invoice_date_due or move.invoice_date_due >= today):
            return levels.browse()
        overdue = (today - move.invoice_date_due).days
        due = levels.filtered(lambda level: level.days <= overdue)[-1:]
        last = move.aftersales_reminder_level_id
        if due and last and last.days >= due.days:
            return levels.browse()
        return due

    @api.model
    def _get_due_invoice_domain(self, levels_by_company, today):
        """Invoices the cron still has to remind: restarting after a killed
        run finds exactly those whose reminder was not committed yet."""
        company_domains = []
        for company, levels in levels_by_company.items():
            level_domains = [
                Domain('invoice_date_due', '<=', today - timedelta(days=max(level.days, 1)))
                & (Domain('aftersales_reminder_level_id', '=', False)
                   | Domain('aftersales_reminder_level_id.days', '<', level.days))
                for level in levels
            ]
            if level_domains:
                company_domains.append(Domain('company_id', '=', company.id) & Domain.OR(level_domains))
        if not company_domains:
            return Domain.FALSE
        # A hold sets no_followup on the receivable lines of the invoice.
        return Domain.OR(company_domains) & Domain([
            ('move_type', '=', 'out_invoice'),
            ('state', '=', 'posted'),
            ('payment_state', 'in', ('not_paid', 'partial')),
            ('line_ids', 'not any', [('account_type', '=', 'asset_receivable'), ('no_followup', '=', True)]),
        ])

    def _prepare_reminder_vals(self, move, level, mail):
        return {
            'move_id': move.id,
            'partner_id': move.partner_id.id,
            'level_id': level.id,
            'mail_id': mail.id,
            'mail_message_id': mail.mail_message_id.id,
            'amount_residual': move.amount_residual,
        }

    @api.model
    def _send_reminders(self, moves):
        """Queue the due level's mail for each of ``moves`` and log it.

        Moves with nothing due (paid, on hold, not late enough, level already
        sent) are left out. Mails are queued, never sent inline: the mail queue
        sends them after the commit of this transaction.
        """
        today = fields.Date.context_today(self)
        levels_by_company = self.env['aftersales.reminder.level']._get_levels_by_company(moves.company_id)
        moves_by_level = defaultdict(moves.browse)
        for move in moves:
            level = self._get_due_level(move, levels_by_company[move.company_id], today)
            if level:
                moves_by_level[level] |= move
        vals_list = []
        for level, level_moves in moves_by_level.items():
            level_moves._aftersales_ensure_access_token()
            mails = level.mail_template_id.send_mail_batch(level_moves.ids, force_send=False)
            mail_by_move = {mail.res_id: mail for mail in mails}
            vals_list += [
                self._prepare_reminder_vals(move, level, mail_by_move.get(move.id, self.env['mail.mail']))
                for move in level_moves
            ]
        return self.create(vals_list)

    @api.model
    def _send_reminder_batch(self, batch_size=REMINDER_BATCH_SIZE):
        """Remind one batch of overdue invoices; returns (processed, remaining)."""
        Move = self.env['account.move'].with_context(active_test=False)
        companies = self.env['aftersales.reminder.level'].search([]).company_id
        levels_by_company = self.env['aftersales.reminder.level']._get_levels_by_company(companies)
        domain = self._get_due_invoice_domain(levels_by_company, fields.Date.context_today(self))
        moves = Move.search(domain, limit=batch_size, order='id').try_lock_for_update()
        self._send_reminders(moves.with_context(active_test=True))
        remaining = Move.search_count(domain) if len(moves) == batch_size else 0
        return len(moves), remaining

    @api.model
    def _cron_send_reminders(self, batch_size=REMINDER_BATCH_SIZE):
        """Each batch commits its reminders together with their queued mails,
        so a run killed between batches and restarted reminds nobody twice."""
        # The cron reminds every company's invoices, whatever companies its
        # user is allowed in.
        reminders = self.sudo()
        while True:
            processed, remaining = reminders._send_reminder_batch(batch_size)
            time_left = self.env['ir.cron']._commit_progress(processed, remaining=remaining)
            if not processed or not remaining or not time_left:
                return
