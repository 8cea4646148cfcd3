from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import is_html_empty

STATES = [
    ('draft', "Draft"),
    ('registered', "Registered"),
    ('planned', "Planned"),
    ('fulfilled', "Fulfilled"),
    ('posted', "Posted"),
    ('rejected', "Rejected"),
    ('cancelled', "Cancelled"),
]
# A posted complaint is a closed record: only what the chatter, activities and
# followers write on any record still goes through (archiving is checked apart).
POSTED_WRITABLE = {
    'message_main_attachment_id', 'message_follower_ids', 'activity_ids', 'active',
}
MANAGER_GROUP = 'aftersales_complaint.aftersales_complaint_group_manager'
# The states each state is reached from. The step's rules are checked on every
# write of the state, not only by the buttons: an external client writing
# ``state`` directly meets the same rules.
TRANSITIONS = {
    'registered': ('draft',),
    'planned': ('registered',),
    'fulfilled': ('planned',),
    'posted': ('fulfilled',),
    'rejected': ('draft', 'registered', 'planned'),
    'cancelled': ('draft', 'registered', 'planned'),
    'draft': ('cancelled',),
}


class AftersalesComplaint(models.Model):
    _name = 'aftersales.complaint'
    _description = "Customer Complaint"
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'date_issue desc, id desc'
    _check_company_auto = True
    _rec_names_search = ['name', 'title', 'partner_id']

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index='trigram',
        default=lambda self: self.env._("New"),
    )
    title = fields.Char(string="Working Name", required=True, tracking=True, index='trigram')
    date_issue = fields.Date(
        string="Date of Issue", required=True, default=fields.Date.context_today, index=True,
    )
    description = fields.Html(sanitize_style=True)
    state = fields.Selection(
        STATES, default='draft', required=True, copy=False, tracking=True, index=True,
        group_expand=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        'res.partner', string="Customer", tracking=True, index=True, ondelete='restrict',
        check_company=True, compute='_compute_partner_id', store=True, readonly=False,
    )
    commercial_partner_id = fields.Many2one(
        related='partner_id.commercial_partner_id', store=True, index=True,
        string="Customer Entity",
    )
    contact_ids = fields.Many2many(
        'res.partner', 'aftersales_complaint_contact_rel', 'complaint_id', 'partner_id',
        string="Contact Persons", check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    reason_id = fields.Many2one('aftersales.complaint.reason', tracking=True, index=True)
    team_id = fields.Many2one(
        'aftersales.team', string="Business Unit", tracking=True, index=True, check_company=True,
    )
    user_id = fields.Many2one(
        'res.users', string="Employee in Charge", tracking=True, index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    comment = fields.Text(string="Comments")
    review_result = fields.Html(
        string="Review Results",
        help="Decisions made, actions performed, results and the customer's feedback.",
    )
    date_end = fields.Date(string="End Date", tracking=True, copy=False)
    rejection_reason = fields.Text(copy=False)
    product_ids = fields.Many2many(
        'product.product', string="Products", check_company=True,
        compute='_compute_product_ids', store=True, readonly=False,
    )
    supplier_id = fields.Many2one(
        'res.partner', compute='_compute_supplier_id', store=True, readonly=False,
        tracking=True, index='btree_not_null', ondelete='restrict', check_company=True,
        help="Defaults to the main vendor of the complaint's first product; a supplier chosen "
             "by hand stays.",
    )
    invoice_id = fields.Many2one(
        'account.move', tracking=True, index='btree_not_null',
        check_company=True, copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    sale_order_id = fields.Many2one(
        'sale.order', tracking=True, index='btree_not_null',
        check_company=True, copy=False,
    )
    amount = fields.Monetary(
        string="Complaint Amount", compute='_compute_amount', store=True, readonly=False,
        tracking=True,
    )
    currency_id = fields.Many2one(
        'res.currency', compute='_compute_currency_id', store=True, readonly=False,
        required=True, precompute=True,
    )
    case_id = fields.Many2one(
        'aftersales.case', index='btree_not_null', check_company=True,
        copy=False, tracking=True,
    )
    is_overdue = fields.Boolean(compute='_compute_is_overdue', search='_search_is_overdue')

    # Compute methods

    @api.depends('invoice_id', 'sale_order_id')
    def _compute_partner_id(self):
        for complaint in self:
            document = complaint.invoice_id or complaint.sale_order_id
            # Without a document the customer stays as entered.
            complaint.partner_id = document.partner_id if document else complaint.partner_id

    @api.depends('invoice_id', 'sale_order_id')
    def _compute_product_ids(self):
        for complaint in self:
            if complaint.invoice_id:
                complaint.product_ids = complaint.invoice_id.invoice_line_ids.product_id
            elif complaint.sale_order_id:
                complaint.product_ids = complaint.sale_order_id.order_line.product_id
            else:
                complaint.product_ids = complaint.product_ids

    @api.depends('product_ids', 'company_id')
    def _compute_supplier_id(self):
        for complaint in self:
            # Filled once from the products: a supplier already there, chosen
            # by hand or not, is kept when the products change.
            if complaint.supplier_id or not complaint.product_ids:
                continue
            company = complaint.company_id
            sellers = complaint.product_ids[0].seller_ids.filtered(
                lambda s, company=company: not s.company_id or s.company_id == company
            )
            complaint.supplier_id = sellers[:1].partner_id

    @api.depends('invoice_id', 'sale_order_id')
    def _compute_amount(self):
        for complaint in self:
            document = complaint.invoice_id or complaint.sale_order_id
            complaint.amount = document.amount_total if document else complaint.amount

    @api.depends('invoice_id', 'sale_order_id', 'company_id')
    def _compute_currency_id(self):
        for complaint in self:
            document = complaint.invoice_id or complaint.sale_order_id
            complaint.currency_id = (
                document.currency_id or complaint.currency_id or complaint.company_id.currency_id
                or self.env.company.currency_id
            )

    @api.depends('date_end', 'state')
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.is_overdue = bool(
                complaint.state in ('registered', 'planned')
                and complaint.date_end and complaint.date_end < today
            )

    def _search_is_overdue(self, operator, value):
        if operator != 'in':
            return NotImplemented
        overdue = Domain([
            ('state', 'in', ('registered', 'planned')),
            ('date_end', '<', fields.Date.context_today(self)),
        ])
        return overdue if True in value else ~overdue

    # Constraints

    @api.constrains('invoice_id')
    def _check_invoice_id(self):
        for complaint in self:
            if complaint.invoice_id and complaint.invoice_id.move_type != 'out_invoice':
                raise ValidationError(self.env._(
                    "Complaint %(name)s can only cite a customer invoice, not %(move)s.",
                    name=complaint.name, move=complaint.invoice_id.display_name,
                ))

    @api.constrains('state', 'user_id')
    def _check_user_id(self):
        for complaint in self:
            if complaint.state != 'draft' and not complaint.user_id:
                raise ValidationError(self.env._(
                    "Complaint %(name)s needs an employee in charge once registered.",
                    name=complaint.name,
                ))

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get('state', 'draft') != 'draft' for vals in vals_list):
            # The steps and their rules start from a draft (see write).
            raise UserError(self.env._("A complaint starts as a draft: register it with its button."))
        for vals in vals_list:
            if vals.get('name', self.env._("New")) == self.env._("New"):
                company = self.env['res.company'].browse(vals.get('company_id'))
                vals['name'] = self.env['ir.sequence'].with_company(
                    company or self.env.company
                ).next_by_code('aftersales.complaint') or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._check_posted_write(vals)
        # Data files and the suite's own code run as superuser; everybody
        # else moves a complaint only along its steps, each with its rule.
        if 'state' in vals and not self.env.su:
            self._check_transition(vals['state'])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        registered = self.filtered(lambda c: c.state != 'draft')
        if registered:
            raise UserError(self.env._(
                "Complaints %(names)s were registered: archive them instead of deleting them.",
                names=", ".join(registered.mapped('name')),
            ))

    def _check_posted_write(self, vals):
        posted = self.filtered(lambda c: c.state == 'posted')
        if not posted:
            return
        locked = set(vals) - POSTED_WRITABLE
        if locked:
            raise UserError(self.env._(
                "Complaint %(name)s is posted: it can no longer be changed.",
                name=posted[0].name,
            ))
        if 'active' in vals and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(self.env._(
                "Only complaint managers can archive or restore the posted complaint %(name)s.",
                name=posted[0].name,
            ))

    # Actions

    def action_register(self):
        self._check_transition('registered')
        self.write({'state': 'registered'})

    def action_plan(self):
        self._check_transition('planned')
        self.write({'state': 'planned'})

    def action_fulfil(self):
        self._check_transition('fulfilled')
        self.write({'state': 'fulfilled'})

    def action_post(self):
        self._check_transition('posted')
        self.write({'state': 'posted'})

    def action_reject(self):
        self._check_transition('rejected')
        self.write({'state': 'rejected'})
        for complaint in self:
            complaint.message_post(body=self.env._(
                "Rejected: %(reason)s", reason=complaint.rejection_reason,
            ))

    def action_cancel(self):
        self._check_transition('cancelled')
        self.write({'state': 'cancelled'})

    def action_reset_draft(self):
        self._check_transition('draft')
        self.write({'state': 'draft'})

    def action_view_case(self):
        self.ensure_one()
        return self.case_id._get_records_action(name=self.env._("Case"))

    def action_view_invoice(self):
        self.ensure_one()
        return self.invoice_id._get_records_action(name=self.env._("Invoice"))

    def action_view_sale_order(self):
        self.ensure_one()
        return self.sale_order_id._get_records_action(name=self.env._("Sale Order"))

    # Business methods

    def _get_form_action(self):
        self.ensure_one()
        return self._get_records_action(name=self.env._("Complaint"))

    def _check_transition(self, state):
        """Refuse the step to ``state`` unless each complaint may take it."""
        if state not in TRANSITIONS:
            raise UserError(self.env._("%(state)s is not a state of a complaint.", state=state))
        if state == 'posted' and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(self.env._(
                "Only complaint managers can post complaint %(name)s.", name=self[:1].name,
            ))
        check = {
            'registered': '_check_registrable', 'planned': '_check_plannable',
            'fulfilled': '_check_fulfillable', 'rejected': '_check_rejectable',
        }.get(state)
        for complaint in self:
            complaint._ensure_state(TRANSITIONS[state])
            if check:
                getattr(complaint, check)()

    def _check_plannable(self):
        self.ensure_one()
        if not self.activity_ids:
            raise UserError(self.env._(
                "Complaint %(name)s has no action plan: launch a plan or schedule an activity first.",
                name=self.name,
            ))

    def _check_fulfillable(self):
        self.ensure_one()
        if is_html_empty(self.review_result) or not self.date_end:
            raise UserError(self.env._(
                "Complaint %(name)s needs its review results and an end date to be fulfilled.",
                name=self.name,
            ))

    def _check_rejectable(self):
        self.ensure_one()
        if not (self.rejection_reason or '').strip():
            raise UserError(self.env._(
                "Complaint %(name)s needs a rejection reason to be rejected.", name=self.name,
            ))

    def _ensure_state(self, states):
        """Refuse a transition from any other state, naming the complaint."""
        self.ensure_one()
        if self.state not in states:
            state_labels = dict(self._fields['state']._description_selection(self.env))
            raise UserError(self.env._(
                "Complaint %(name)s cannot take this step while it is %(state)s.",
                name=self.name, state=state_labels[self.state],
            ))

    def _check_registrable(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._(
                "Complaint %(name)s cannot be registered without a customer.", name=self.name,
            ))
        if is_html_empty(self.description):
            raise UserError(self.env._(
                "Complaint %(name)s cannot be registered without a description.", name=self.name,
            ))
        if not self.user_id:
            raise UserError(self.env._(
                "Complaint %(name)s cannot be registered without an employee in charge.",
                name=self.name,
            ))
