from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

# A complaint stops counting as open once fulfilled, posted or rejected; a
# cancelled one was never a complaint to handle.
OPEN_STATES = ('draft', 'registered', 'planned')
CLOSED_STATES = ('fulfilled', 'posted', 'rejected')
# An earlier complaint of the same customer within this many days makes a repeat.
REPEAT_DAYS = 365
# What makes a complaint a repeat of another.
REPEAT_KEYS = {'commercial_partner_id', 'partner_id', 'reason_id', 'product_ids', 'date_issue', 'company_id'}
# Complaints signalled per committed transaction of the cron.
SIGNAL_BATCH = 500


class AftersalesComplaint(models.Model):
    """What a management review needs of a complaint: its causes, the actions
    taken and whether they worked, how long it stayed open, and whether it
    came back."""

    _inherit = 'aftersales.complaint'

    root_cause = fields.Text(help="Why the problem occurred, as found by the investigation.")
    corrective_action = fields.Text(help="What was changed so that it does not happen again.")
    action_effective = fields.Selection(
        [('pending', "Pending"), ('effective', "Effective"), ('not_effective', "Not Effective")],
        string="Action Effectiveness", tracking=True,
        help="Whether the corrective action, once checked, prevented the problem from recurring.",
    )
    date_closed = fields.Date(
        string="Closed On", compute='_compute_date_closed', store=True, copy=False, index=True,
        help="When the complaint was fulfilled or rejected.",
    )
    days_to_close = fields.Integer(
        string="Days to Close", compute='_compute_days_to_close', store=True, aggregator='avg',
    )
    is_repeat = fields.Boolean(
        string="Repeat Complaint", compute='_compute_is_repeat', store=True,
        help="The same customer complained about the same reason or a product in common "
             "in the year before this complaint's date of issue.",
    )
    is_too_long = fields.Boolean(
        string="Open Too Long", compute='_compute_is_too_long', search='_search_is_too_long',
        help="Still open beyond the company's complaint closing target.",
    )
    date_too_long_signalled = fields.Date(
        string="Open Too Long Signalled On", readonly=True, copy=False,
        help="When the employee in charge was given an activity for the complaint being open too long.",
    )

    # Compute methods

    @api.depends('state')
    def _compute_date_closed(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            if complaint.state in CLOSED_STATES:
                # Posting a fulfilled complaint keeps the day it was fulfilled.
                complaint.date_closed = complaint.date_closed or today
            elif complaint.state == 'draft':
                complaint.date_closed = False

    @api.depends('date_closed', 'date_issue')
    def _compute_days_to_close(self):
        for complaint in self:
            if complaint.date_closed and complaint.date_issue:
                complaint.days_to_close = max((complaint.date_closed - complaint.date_issue).days, 0)
            else:
                complaint.days_to_close = 0

    @api.depends('commercial_partner_id', 'reason_id', 'product_ids', 'date_issue', 'company_id')
    def _compute_is_repeat(self):
        earlier = self._get_repeat_candidates()
        for complaint in self:
            complaint.is_repeat = any(
                complaint._is_repeat_of(other) for other in earlier[complaint.commercial_partner_id.id]
            )

    @api.depends('state', 'date_issue', 'company_id.aftersales_complaint_close_days')
    def _compute_is_too_long(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            target = complaint.company_id.aftersales_complaint_close_days
            complaint.is_too_long = bool(
                target > 0 and complaint.state in OPEN_STATES and complaint.date_issue
                and complaint.date_issue < today - timedelta(days=target)
            )

    def _search_is_too_long(self, operator, value):
        if operator != 'in':
            return NotImplemented
        today = fields.Date.context_today(self)
        companies = self.env['res.company'].sudo().search([('aftersales_complaint_close_days', '>', 0)])
        too_long = Domain('state', 'in', OPEN_STATES) & Domain.OR(
            Domain('company_id', 'in', same_target.ids)
            & Domain('date_issue', '<', today - timedelta(days=target))
            for target, same_target in companies.grouped('aftersales_complaint_close_days').items()
        )
        return too_long if True in value else ~too_long

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._recompute_later_repeats()
        return complaints

    def write(self, vals):
        result = super().write(vals)
        if 'state' in vals:
            # Closed on the day of the step, not on that of a later flush.
            self.flush_recordset(['date_closed'])
        if REPEAT_KEYS.intersection(vals):
            self._recompute_later_repeats()
        return result

    # Business methods

    def _recompute_later_repeats(self):
        """A complaint entered late, or moved back in time, may make the
        customer's later complaints repeats: flag them again, in one search."""
        dated = self.filtered(lambda c: c.commercial_partner_id and c.date_issue)
        if not dated:
            return
        later = self.sudo().with_context(active_test=False).search([
            ('commercial_partner_id', 'in', dated.commercial_partner_id.ids),
            ('company_id', 'in', dated.company_id.ids),
            ('id', 'not in', dated.ids),
            ('date_issue', '>=', min(dated.mapped('date_issue'))),
            ('date_issue', '<=', max(dated.mapped('date_issue')) + timedelta(days=REPEAT_DAYS)),
        ])
        if later:
            self.env.add_to_compute(self._fields['is_repeat'], later)

    def _get_repeat_candidates(self):
        """The complaints that may make those of ``self`` repeats, by customer:
        one search for the whole batch. Cancelled complaints do not count;
        archived ones do. Read as superuser: the flag is stored, it must not
        depend on who saved the complaint."""
        dated = self.filtered(lambda c: c.commercial_partner_id and c.date_issue)
        candidates = defaultdict(list)
        if not dated:
            return candidates
        others = self.sudo().with_context(active_test=False).search([
            ('commercial_partner_id', 'in', dated.commercial_partner_id.ids),
            ('company_id', 'in', dated.company_id.ids),
            ('state', '!=', 'cancelled'),
            ('date_issue', '>=', min(dated.mapped('date_issue')) - timedelta(days=REPEAT_DAYS)),
            ('date_issue', '<=', max(dated.mapped('date_issue'))),
        ])
        for other in others:
            candidates[other.commercial_partner_id.id].append(other)
        return candidates

    def _is_repeat_of(self, other):
        """Whether ``other`` came before ``self`` within the repeat window
        about the same reason or a product in common."""
        self.ensure_one()
        own_id = self._origin.id or 0
        if other.id == own_id or other.company_id != self.company_id or not self.date_issue:
            return False
        if other.date_issue < self.date_issue - timedelta(days=REPEAT_DAYS):
            return False
        # Complaints of one day count in the order they were recorded.
        if (other.date_issue, other.id) >= (self.date_issue, own_id or float('inf')):
            return False
        return bool(
            (self.reason_id and other.reason_id == self.reason_id)
            or (self.product_ids._origin & other.product_ids)
        )

    # Open too long: the daily signal

    @api.model
    def _cron_signal_open_too_long(self):
        """Give the employee in charge of each complaint newly open too long a
        To-Do, once, by committed batches; when the cron's time is up, its next
        run goes on where this one stopped."""
        domain = Domain([('is_too_long', '=', True), ('date_too_long_signalled', '=', False),
                         ('user_id', '!=', False)])
        total = self.search_count(domain)
        done = last_id = 0
        while True:
            batch = self.search(domain & Domain('id', '>', last_id), limit=SIGNAL_BATCH, order='id')
            if not batch:
                self.env['ir.cron']._commit_progress(remaining=0)
                return
            last_id = batch[-1].id
            # Complaints being saved right now are left to the next run; the
            # others may have been closed since the search: check them again.
            batch.try_lock_for_update().filtered_domain(domain)._signal_open_too_long()
            done += len(batch)
            full = len(batch) == SIGNAL_BATCH
            time_left = self.env['ir.cron']._commit_progress(
                len(batch), remaining=max(total - done, 1) if full else 0,
            )
            if not full or not time_left:
                return

    def _signal_open_too_long(self):
        if not self:
            return
        today = fields.Date.context_today(self)
        # A bulk activity: its summary says it all, and no e-mail per complaint.
        self.env['mail.activity'].with_context(mail_activity_quick_update=True).create([
            complaint._prepare_too_long_activity_vals(today) for complaint in self
        ])
        self.write({'date_too_long_signalled': today})

    def _prepare_too_long_activity_vals(self, date_deadline):
        self.ensure_one()
        return {
            'res_model_id': self.env['ir.model']._get_id(self._name),
            'res_id': self.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
            'summary': self.with_context(lang=self.user_id.lang).env._(
                "Open longer than the closing target of %(days)s days",
                days=self.company_id.aftersales_complaint_close_days,
            ),
            'user_id': self.user_id.id,
            'date_deadline': date_deadline,
            'automated': True,
        }
