from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

PERIOD_MONTHS = {'monthly': 1, 'quarterly': 3, 'yearly': 12}


class AftersalesWarrantyContract(models.Model):
    _name = 'aftersales.warranty.contract'
    _description = "Service Contract"
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'date_end, id desc'
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection([
        ('draft', "Draft"), ('running', "Running"), ('expired', "Expired"), ('cancelled', "Cancelled"),
    ], required=True, default='draft', copy=False, tracking=True, index=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related='company_id.currency_id')
    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, tracking=True, index=True,
        domain="[('is_company', '=', True)]",
    )
    user_id = fields.Many2one(
        'res.users', string="Responsible", default=lambda self: self.env.user, tracking=True,
    )
    registration_ids = fields.Many2many(
        'aftersales.warranty', string="Covered Units", check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    registration_count = fields.Integer(compute='_compute_registration_count')
    sla_id = fields.Many2one(
        'aftersales.sla', string="Service Level", check_company=True, tracking=True,
        help="The service level the customer's cases get while the contract runs.",
    )
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    renewal_rule = fields.Selection([
        ('automatic', "Renew Automatically"),
        ('notice', "Notify Before Expiry"),
        ('expire', "Expire"),
    ], required=True, default='automatic', tracking=True)
    notice_days = fields.Integer(default=30)
    # Stored so that the renewal run finds the contracts to notify by a domain.
    notice_date = fields.Date(compute='_compute_notice_date', store=True)
    notice_sent_date = fields.Date(
        string="Notice Sent On", readonly=True, copy=False,
        help="The day the responsible was asked to renew the contract; cleared on renewal.",
    )
    term_start = fields.Date(
        string="Current Term Start", readonly=True, copy=False,
        help="The first day of the term the contract is in; each renewal adds a term as long as this one.",
    )
    fee = fields.Monetary(currency_field='currency_id', tracking=True)
    period = fields.Selection([
        ('monthly', "Monthly"), ('quarterly', "Quarterly"), ('yearly', "Yearly"),
    ], required=True, default='monthly', tracking=True)
    product_id = fields.Many2one(
        'product.product', string="Invoiced Product", required=True, check_company=True,
        domain="[('type', '=', 'service')]",
        default=lambda self: self.env.ref(
            'aftersales_warranty.product_service_contract', raise_if_not_found=False,
        ),
    )
    analytic_account_id = fields.Many2one('account.analytic.account', check_company=True, copy=False)
    period_ids = fields.One2many(
        'aftersales.warranty.contract.period', 'contract_id', string="Invoiced Periods",
    )
    invoice_count = fields.Integer(compute='_compute_invoice_count')

    _dates_check = models.Constraint(
        'CHECK(date_end >= date_start)', "A contract cannot end before it starts.",
    )

    @api.depends('date_end', 'notice_days')
    def _compute_notice_date(self):
        for contract in self:
            notice = relativedelta(days=contract.notice_days)
            contract.notice_date = contract.date_end and contract.date_end - notice

    @api.depends('registration_ids')
    def _compute_registration_count(self):
        for contract in self:
            contract.registration_count = len(contract.registration_ids)

    @api.depends('period_ids.invoice_id')
    def _compute_invoice_count(self):
        for contract in self:
            contract.invoice_count = len(contract.period_ids.invoice_id)

    @api.constrains('partner_id', 'registration_ids')
    def _check_registrations(self):
        for contract in self:
            customer = contract.partner_id.commercial_partner_id
            foreign = contract.registration_ids.filtered(lambda r, c=customer: r.commercial_partner_id != c)
            if foreign:
                raise ValidationError(self.env._(
                    "Contract %(contract)s covers only units of %(customer)s; not %(units)s.",
                    contract=contract.name, customer=contract.partner_id.display_name,
                    units=", ".join(foreign.mapped('display_name')),
                ))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get('name', '/') == '/':
                vals['name'] = self.env['ir.sequence'].next_by_code('aftersales.warranty.contract') or '/'
        return super().create(vals_list)

    def action_confirm(self):
        if self.filtered(lambda c: c.state != 'draft'):
            raise UserError(self.env._("Only draft contracts can be confirmed."))
        for contract in self.filtered(lambda c: not c.analytic_account_id):
            # Fees and repair costs meet on one account: the contract's margin.
            # Sudo: whoever confirms a contract need not manage analytic accounts.
            contract.analytic_account_id = self.env['account.analytic.account'].sudo().create(
                contract._prepare_analytic_account_vals()
            )
        self.state = 'running'

    def action_cancel(self):
        self.state = 'cancelled'

    def action_draft(self):
        self.state = 'draft'

    def action_renew(self):
        """Extend running or expired contracts by one term, by hand."""
        # Users edit contracts, but a renewal commits the customer to a new
        # term of fees: the managers' call, whatever calls the method.
        if not self.env.user.has_group('aftersales_warranty.aftersales_warranty_group_manager'):
            raise AccessError(self.env._("Only warranty managers can renew service contracts."))
        refused = self.filtered(lambda c: c.state not in ('running', 'expired'))
        if refused:
            raise UserError(self.env._(
                "Only running or expired contracts can be renewed, not %(contracts)s.",
                contracts=", ".join(refused.mapped('name')),
            ))
        for contract in self:
            contract._renew_term()
        return True

    def _prepare_analytic_account_vals(self):
        self.ensure_one()
        plan, _other_plans = self.env['account.analytic.plan']._get_all_plans()
        return {
            'name': self.name,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
            'plan_id': plan.id,
        }

    def _period_delta(self):
        return relativedelta(months=PERIOD_MONTHS[self.period])

    def _due_period_starts(self, today):
        """Starts of the periods begun by ``today`` within the contract and not yet invoiced."""
        self.ensure_one()
        done = set(self.period_ids.mapped('date_start'))
        starts, start = [], self.date_start
        while start <= min(today, self.date_end):
            if start not in done:
                starts.append(start)
            start += self._period_delta()
        return starts

    def _prepare_invoice_vals(self, date_start, date_end):
        self.ensure_one()
        return {
            'move_type': 'out_invoice',
            'partner_id': self.partner_id.id,
            'company_id': self.company_id.id,
            'invoice_origin': self.name,
            'invoice_line_ids': [fields.Command.create({
                'product_id': self.product_id.id,
                'name': self.env._(
                    "%(contract)s: %(start)s - %(end)s", contract=self.name,
                    start=fields.Date.to_string(date_start), end=fields.Date.to_string(date_end),
                ),
                'quantity': 1,
                'price_unit': self.fee,
                'analytic_distribution': {str(self.analytic_account_id.id): 100},
            })],
        }

    def _prepare_period_vals(self, date_start, date_end):
        self.ensure_one()
        return {'contract_id': self.id, 'date_start': date_start, 'date_end': date_end}

    def _invoice_due_periods(self, today=None):
        """Invoice every period begun and not invoiced yet, one invoice each.

        The period row is written before the invoice is posted, in the same
        transaction: a run interrupted after it rolls both back, and a second
        run meeting the row (or its unique index) skips the period."""
        today = today or fields.Date.context_today(self)
        moves = self.env['account.move']
        for contract in self.filtered(lambda c: c.state == 'running'):
            for start in contract._due_period_starts(today):
                end = start + contract._period_delta() - relativedelta(days=1)
                period = self.env['aftersales.warranty.contract.period'].create(
                    contract._prepare_period_vals(start, end)
                )
                period.invoice_id = moves.create(contract._prepare_invoice_vals(start, end))
                moves |= period.invoice_id
        moves.action_post()
        return moves

    @api.model
    def _cron_invoice(self, batch_size=50):
        """Invoice due fees in bounded batches, committing after each."""
        domain = [('state', '=', 'running'), ('date_start', '<=', fields.Date.context_today(self))]
        contracts = self.search(domain)
        for offset in range(0, len(contracts), batch_size):
            batch = contracts[offset:offset + batch_size]
            batch._invoice_due_periods()
            remaining = len(contracts) - offset - len(batch)
            if not self.env['ir.cron']._commit_progress(len(batch), remaining=remaining):
                break

    # Renewal and expiry

    def _next_term(self):
        """First and last day of the term after the current one, as long as it.

        A term of whole months stays whole months (a year from 1 January
        renews to the next 31 December, leap years included); any other
        term keeps its number of days."""
        self.ensure_one()
        start = self.term_start if self.term_start and self.term_start <= self.date_end else self.date_start
        following = self.date_end + relativedelta(days=1)
        length = relativedelta(following, start)
        if length.days:
            length = relativedelta(days=(following - start).days)
        return following, following + length - relativedelta(days=1)

    def _renew_term(self):
        self.ensure_one()
        term_start, date_end = self._next_term()
        self.write({
            'term_start': term_start, 'date_end': date_end, 'notice_sent_date': False, 'state': 'running',
        })
        self.message_post(body=self.env._(
            "Contract renewed from %(start)s to %(end)s.",
            start=format_date(self.env, term_start), end=format_date(self.env, date_end),
        ))

    def _expire(self, today):
        # The fees of periods begun before the end stay due, even when the
        # invoicing run missed them: invoice them before the contract closes.
        self._invoice_due_periods(today)
        self.state = 'expired'
        for contract in self:
            contract.message_post(body=self.env._(
                "Contract expired: it ended on %(end)s.", end=format_date(self.env, contract.date_end),
            ))

    def _send_renewal_notice(self, today):
        for contract in self:
            user = contract.user_id or contract.create_uid
            # In the language of the one who reads it, not of the scheduled run.
            translate = contract.with_context(lang=user.lang).env._
            contract.activity_schedule(
                'mail.mail_activity_data_todo', date_deadline=contract.date_end,
                summary=translate("Renew the service contract"),
                note=translate(
                    "%(contract)s of %(customer)s ends on %(end)s.", contract=contract.name,
                    customer=contract.partner_id.display_name,
                    end=format_date(contract.env, contract.date_end, lang_code=user.lang),
                ),
                user_id=user.id,
            )
        self.notice_sent_date = today

    @api.model
    def _renewal_domain(self, today):
        """Running contracts past their end, or due a notice not sent yet."""
        return Domain('state', '=', 'running') & (
            Domain('date_end', '<', today)
            | Domain([('renewal_rule', '=', 'notice'), ('notice_sent_date', '=', False),
                      ('notice_date', '<=', today)])
        )

    def _process_renewals(self, today=None):
        """Renew, notify or expire the running contracts by their rule, as of ``today``.

        Each contract handled leaves the renewal domain (its end moves past
        today, its notice is dated, or it no longer runs): a second run the
        same day renews and notifies nothing again."""
        today = today or fields.Date.context_today(self)
        running = self.filtered(lambda c: c.state == 'running')
        ended = running.filtered(lambda c: c.date_end < today)
        renewed = ended.filtered(lambda c: c.renewal_rule == 'automatic')
        for contract in renewed:
            # A run missed for longer than a term catches up term by term.
            while contract.date_end < today:
                contract._renew_term()
        (ended - renewed)._expire(today)
        (running - ended).filtered(
            lambda c: c.renewal_rule == 'notice' and not c.notice_sent_date and c.notice_date <= today
        )._send_renewal_notice(today)

    @api.model
    def _cron_renew(self, batch_size=50):
        """Renew, notify or expire the contracts due, in bounded batches committed each."""
        today = fields.Date.context_today(self)
        done = []
        while True:
            domain = self._renewal_domain(today) & Domain('id', 'not in', done)
            found = self.search(domain, limit=batch_size)
            if not found:
                break
            done += found.ids
            # Contracts locked are being edited: the next run takes them.
            batch = found.try_lock_for_update()
            batch._process_renewals(today)
            remaining = self.search_count(domain & Domain('id', 'not in', found.ids))
            if not self.env['ir.cron']._commit_progress(len(batch), remaining=remaining):
                break

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('account.action_move_out_invoice_type')
        action['domain'] = [('id', 'in', self.period_ids.invoice_id.ids)]
        action['context'] = {'default_move_type': 'out_invoice'}
        return action

    def action_view_registrations(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window', 'name': self.env._("Covered Units"),
            'res_model': 'aftersales.warranty', 'view_mode': 'list,form',
            'domain': [('id', 'in', self.registration_ids.ids)],
        }
