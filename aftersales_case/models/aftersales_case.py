from contextlib import nullcontext

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..tools import renewing_access_tokens

PRIORITIES = [
    ('0', "Low"),
    ('1', "Normal"),
    ('2', "High"),
    ('3', "Urgent"),
]
LEVELS = [
    ('low', "Low"),
    ('medium', "Medium"),
    ('high', "High"),
]
# Fields a closed case still accepts: reopening it (its stage) and what
# mail, activities and archiving write on any record.
CLOSED_CASE_WRITABLE = {
    'stage_id', 'active', 'new_customer_response', 'date_last_stage_update', 'date_closed',
    'date_first_response',
    'message_main_attachment_id', 'message_follower_ids', 'activity_ids', 'color',
    'access_token', 'email_cc', 'sla_paused_hours', 'sla_pause_start',
}
# Who the case's access token was shared with: another customer gets a new one.
CUSTOMER_FIELDS = {'partner_id', 'contact_id'}


class AftersalesCase(models.Model):
    _name = 'aftersales.case'
    _description = "After-Sales Case"
    _inherit = ['mail.thread.cc', 'mail.activity.mixin', 'portal.mixin']
    _order = 'priority desc, date_reported desc, id desc'
    _primary_email = 'email'
    _check_company_auto = True
    _mail_post_access = 'read'
    _rec_names_search = ['name', 'subject', 'partner_id', 'email']

    # Defaults

    @api.model
    def _default_team_id(self):
        team_id = self.env.context.get('default_team_id')
        if team_id:
            return self.env['aftersales.team'].browse(team_id)
        return self.env['aftersales.team'].search(
            [('member_ids', 'in', self.env.uid), ('company_id', 'in', self.env.companies.ids)],
            limit=1,
        )

    # Fields

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index='trigram',
        default=lambda self: self.env._("New"),
    )
    subject = fields.Char(required=True, tracking=True, index='trigram')
    description = fields.Html(sanitize_style=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    # Customer and contact
    partner_id = fields.Many2one(
        'res.partner', string="Customer", tracking=True, index=True, ondelete='restrict',
        check_company=True,
        help="The company or person the case is about: a customer, a prospect or an end user.",
    )
    commercial_partner_id = fields.Many2one(
        related='partner_id.commercial_partner_id', store=True, index=True,
        string="Customer Entity",
    )
    contact_id = fields.Many2one(
        'res.partner', string="Contact Person", ondelete='restrict', check_company=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
    )
    email = fields.Char(
        compute='_compute_email_phone', store=True, readonly=False, index='trigram',
    )
    phone = fields.Char(compute='_compute_email_phone', store=True, readonly=False)
    reporter_id = fields.Many2one(
        'res.partner', string="Reported By", compute='_compute_reporter_id', store=True,
        readonly=False, ondelete='restrict',
    )
    date_reported = fields.Datetime(
        string="Reported On", required=True, default=fields.Datetime.now, index=True,
    )
    # Classification
    team_id = fields.Many2one(
        'aftersales.team', tracking=True, index=True, check_company=True,
        default=lambda self: self._default_team_id(),
    )
    user_id = fields.Many2one(
        'res.users', string="Responsible", tracking=True, index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    type_id = fields.Many2one(
        'aftersales.case.type', tracking=True, index=True, ondelete='restrict',
    )
    type_kind = fields.Selection(related='type_id.kind')
    stage_id = fields.Many2one(
        'aftersales.case.stage', tracking=True, index=True, copy=False,
        ondelete='restrict', group_expand='_read_group_stage_ids',
        compute='_compute_stage_id', store=True, readonly=False,
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(related='stage_id.is_closing', store=True, index=True)
    is_on_hold = fields.Boolean(related='stage_id.is_on_hold', store=True)
    date_last_stage_update = fields.Datetime(
        string="Last Stage Update", default=fields.Datetime.now, copy=False, readonly=True,
    )
    priority = fields.Selection(PRIORITIES, default='1', tracking=True, index=True)
    origin_id = fields.Many2one('aftersales.case.origin', index=True)
    tag_ids = fields.Many2many('aftersales.case.tag')
    # What the case is about
    product_ids = fields.Many2many(
        'product.product', string="Products", check_company=True,
    )
    product_categ_id = fields.Many2one(
        'product.category', string="Product Category",
        compute='_compute_product_categ_id', store=True, readonly=False,
    )
    supplier_id = fields.Many2one(
        'res.partner', compute='_compute_supplier_id', store=True,
        readonly=False, index='btree_not_null', ondelete='restrict', check_company=True,
        tracking=True, help="Defaults to the main vendor of the case's first product.",
    )
    currency_id = fields.Many2one(related='company_id.currency_id')
    cost = fields.Monetary(help="What the case costs the company (goodwill, travel, parts).")
    risk = fields.Selection(LEVELS)
    impact = fields.Selection(LEVELS)
    # Outcome
    resolution = fields.Html()
    root_cause = fields.Text()
    date_closed = fields.Datetime(string="Closed On", copy=False, readonly=True, index=True)
    date_first_response = fields.Datetime(string="First Response On", copy=False, readonly=True)
    lead_time = fields.Float(
        string="Lead Time (hours)", compute='_compute_lead_time', store=True, aggregator='avg',
        help="Hours from the report to the closing of the case.",
    )
    first_response_time = fields.Float(
        string="First Response Time (hours)", compute='_compute_first_response_time',
        store=True, aggregator='avg',
    )
    new_customer_response = fields.Boolean(
        copy=False, tracking=True,
        help="The customer wrote after the last answer of an agent.",
    )
    # Planning board
    planned_start = fields.Datetime(copy=False)
    planned_end = fields.Datetime(
        copy=False, compute='_compute_planned_end', store=True, readonly=False,
        help="Defaults to an hour after the planned start: the planning board shows "
             "only visits with both.",
    )
    date_deadline = fields.Date(string="Deadline", copy=False, tracking=True)

    _planned_dates = models.Constraint(
        'CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start)',
        "A case's planned end cannot come before its planned start.",
    )
    _cost_positive = models.Constraint(
        'CHECK (cost >= 0)', "A case's cost cannot be negative.",
    )
    _open_by_team_idx = models.Index("(team_id, user_id) WHERE is_closed IS NOT TRUE")
    # The lists and kanban columns read the first cases in _order: walked in
    # index order, not a sort of every case the rules allow.
    _list_order_idx = models.Index("(priority DESC, date_reported DESC, id DESC)")
    _open_list_order_idx = models.Index(
        "(priority DESC, date_reported DESC, id DESC) WHERE is_closed IS NOT TRUE",
    )

    # Compute methods

    @api.depends('contact_id', 'partner_id')
    def _compute_email_phone(self):
        for case in self:
            person = case.contact_id or case.partner_id
            if person.email:
                case.email = person.email
            if person.phone:
                case.phone = person.phone

    @api.depends('planned_start')
    def _compute_planned_end(self):
        for case in self:
            if case.planned_start and (not case.planned_end or case.planned_end < case.planned_start):
                case.planned_end = case.planned_start + relativedelta(hours=1)

    @api.depends('contact_id', 'partner_id')
    def _compute_reporter_id(self):
        for case in self:
            if not case.reporter_id:
                case.reporter_id = case.contact_id or case.partner_id

    @api.depends('team_id', 'type_id')
    def _compute_stage_id(self):
        allowed = self._stages_by_team_and_type()
        for case in self:
            stages = allowed[case.team_id, case.type_id]
            if not case.stage_id or case.stage_id not in stages:
                case.stage_id = stages[:1]

    @api.depends('product_ids')
    def _compute_product_categ_id(self):
        for case in self:
            if case.product_ids and not case.product_categ_id:
                case.product_categ_id = case.product_ids[0].categ_id

    @api.depends('product_ids')
    def _compute_supplier_id(self):
        for case in self:
            if case.product_ids and not case.supplier_id:
                company = case.company_id
                sellers = case.product_ids[0].seller_ids.filtered(
                    lambda s, company=company: not s.company_id or s.company_id == company
                )
                case.supplier_id = sellers[:1].partner_id

    @api.depends('date_reported', 'date_closed')
    def _compute_lead_time(self):
        for case in self:
            case.lead_time = _hours_between(case.date_reported, case.date_closed)

    @api.depends('date_reported', 'date_first_response')
    def _compute_first_response_time(self):
        for case in self:
            case.first_response_time = _hours_between(
                case.date_reported, case.date_first_response
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for case in self:
            case.access_url = f'/my/cases/{case.id}'

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """Kanban columns: the stages found, the shared ones and the context team's."""
        team_id = self.env.context.get('default_team_id')
        search = Domain('id', 'in', stages.ids) | Domain('team_ids', '=', False)
        if team_id:
            search |= Domain('team_ids', 'in', [team_id])
        return stages.search(search, order=stages._order)

    @api.depends('name', 'subject')
    def _compute_display_name(self):
        for case in self:
            case.display_name = f"{case.name} {case.subject}" if case.subject else case.name

    # Constraints

    @api.constrains('stage_id', 'team_id')
    def _check_stage_team(self):
        for case in self.filtered('stage_id'):
            if case.stage_id.team_ids and case.team_id not in case.stage_id.team_ids:
                raise ValidationError(self.env._(
                    "Stage %(stage)s does not belong to team %(team)s of case %(case)s.",
                    stage=case.stage_id.name, team=case.team_id.name or self.env._("(none)"),
                    case=case.display_name,
                ))

    @api.constrains('stage_id', 'user_id')
    def _check_responsible(self):
        unassigned = self.filtered(lambda c: c.stage_id and not c.user_id)
        allowed = unassigned._stages_by_team_and_type()
        for case in unassigned:
            if case.stage_id != allowed[case.team_id, case.type_id][:1]:
                raise ValidationError(self.env._(
                    "Case %(case)s needs a responsible before it moves to %(stage)s.",
                    case=case.display_name, stage=case.stage_id.name,
                ))

    @api.constrains('subject')
    def _check_subject(self):
        for case in self:
            if not (case.subject or '').strip():
                raise ValidationError(self.env._("A case needs a subject."))

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get('name', self.env._("New")) == self.env._("New"):
                company = self.env['res.company'].browse(vals.get('company_id'))
                vals['name'] = self.env['ir.sequence'].with_company(
                    company or self.env.company
                ).next_by_code('aftersales.case') or self.env._("New")
        cases = super().create(vals_list)
        cases.filtered(lambda c: c.team_id and not c.user_id)._assign_responsible()
        cases._subscribe_responsible()
        cases.filtered('is_closed')._set_closed_date()
        return cases

    def write(self, vals):
        if set(vals) - CLOSED_CASE_WRITABLE:
            closed = self.filtered('is_closed')
            if closed and not ('stage_id' in vals and not self._stage_is_closing(vals)):
                raise UserError(self.env._(
                    "Case %(cases)s is closed: reopen it before changing it.",
                    cases=", ".join(closed.mapped('display_name')),
                ))
        if 'stage_id' in vals:
            vals['date_last_stage_update'] = fields.Datetime.now()
        reassign = 'team_id' in vals and not vals.get('user_id')
        tokens = renewing_access_tokens(self, contact_fields=('contact_id',)) \
            if CUSTOMER_FIELDS.intersection(vals) else nullcontext()
        with tokens:
            result = super().write(vals)
        if reassign:
            self.filtered(lambda c: c.team_id and not c.user_id)._assign_responsible()
        if 'user_id' in vals:
            self._subscribe_responsible()
        if 'stage_id' in vals:
            self.filtered('is_closed')._set_closed_date()
            self.filtered(lambda c: not c.is_closed and c.date_closed).date_closed = False
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if self.filtered('is_closed'):
            raise UserError(self.env._(
                "Closed cases are kept as the customer's history: archive them instead."
            ))

    # Actions

    def action_reopen(self):
        for case in self:
            open_stages = case._allowed_stages().filtered(lambda s: not s.is_closing)
            if not open_stages:
                raise UserError(self.env._(
                    "Team %(team)s has no open stage to reopen case %(case)s in.",
                    team=case.team_id.name, case=case.display_name,
                ))
            case.stage_id = open_stages[0]
        return True

    def action_assign_to_me(self):
        self.user_id = self.env.user
        return True

    # Business methods

    def _allowed_stages(self):
        """Stages of the case's team, restricted to its type's set, in order."""
        self.ensure_one()
        return self._stages_by_team_and_type()[self.team_id, self.type_id]

    def _stages_by_team_and_type(self):
        """``{(team, type): stages}`` for the cases in ``self``, in one search.

        A stage without teams is shared by all teams; a type with a stage
        set keeps only those.
        """
        stages = self.env['aftersales.case.stage'].search([])
        result = {}
        for team, case_type in {(case.team_id, case.type_id) for case in self}:
            result[team, case_type] = stages.filtered(
                lambda s, team=team, case_type=case_type: (
                    (not s.team_ids or team in s.team_ids)
                    and (not case_type.stage_ids or s in case_type.stage_ids)
                )
            )
        return result

    def _stage_is_closing(self, vals):
        return self.env['aftersales.case.stage'].browse(vals['stage_id']).is_closing

    def _set_closed_date(self):
        self.filtered(lambda c: not c.date_closed).date_closed = fields.Datetime.now()

    def _subscribe_responsible(self):
        for case in self.filtered('user_id'):
            case.message_subscribe(partner_ids=case.user_id.partner_id.ids)

    def _assign_responsible(self):
        """Give each case a responsible by its team's assignment rule."""
        for team, cases in self.grouped('team_id').items():
            team._assign_cases(cases)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if 'stage_id' in init_values:
            return self.env.ref('aftersales_case.mt_case_stage')
        return super()._track_subtype(init_values)


def _hours_between(start, end):
    if not start or not end:
        return 0.0
    return round((end - start).total_seconds() / 3600.0, 2)
