from datetime import timedelta

from odoo import api, fields, models

from .aftersales_sla import WorkingTime

SLA_STATUSES = [
    ('on_track', "On Track"),
    ('at_risk', "At Risk"),
    ('breached', "Breached"),
    ('met', "Met"),
]


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    sla_id = fields.Many2one(
        'aftersales.sla', string="Service Level", compute='_compute_sla_id', store=True,
        index='btree_not_null', tracking=True,
    )
    sla_response_deadline = fields.Datetime(
        string="Respond Before", compute='_compute_sla_deadlines', store=True, index=True,
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolve Before", compute='_compute_sla_deadlines', store=True, index=True,
    )
    sla_paused_hours = fields.Float(
        string="Hours On Hold", readonly=True, copy=False,
        help="Working hours the case spent in stages that stop the clock.",
    )
    sla_pause_start = fields.Datetime(string="On Hold Since", readonly=True, copy=False)
    sla_status = fields.Selection(
        SLA_STATUSES, string="Service Level Status", compute='_compute_sla_status', store=True,
        index=True, tracking=True,
    )
    sla_delay_hours = fields.Float(
        string="Closed Late By (hours)", compute='_compute_sla_delay_hours', store=True,
        aggregator='avg', help="Working hours after the resolution deadline the case closed; "
                               "negative when it closed early.",
    )

    # Compute methods

    @api.depends('company_id', 'team_id', 'type_id', 'priority', 'partner_id.category_id',
                 'commercial_partner_id.category_id')
    def _compute_sla_id(self):
        policies = self.env['aftersales.sla'].sudo().search([('company_id', 'in', self.company_id.ids)])
        for case in self:
            case.sla_id = next((sla for sla in policies if sla._matches(case)), False)

    @api.depends('sla_id.response_hours', 'sla_id.resolution_hours', 'date_reported',
                 'sla_paused_hours', 'team_id.resource_calendar_id')
    def _compute_sla_deadlines(self):
        for calendar, cases in self.grouped(lambda c: c._sla_calendar()).items():
            planner = WorkingTime(calendar) if calendar else None
            if planner:
                planner.prepare(
                    cases.mapped('date_reported'),
                    max(cases.sla_id.mapped('resolution_hours') + cases.sla_id.mapped('response_hours'),
                        default=0) + max(cases.mapped('sla_paused_hours'), default=0),
                )
            for case in cases:
                sla = case.sla_id
                if not sla or not planner or not case.date_reported:
                    case.sla_response_deadline = case.sla_resolution_deadline = False
                    continue
                paused = case.sla_paused_hours
                case.sla_response_deadline = sla.response_hours and planner.plan(
                    case.date_reported, sla.response_hours + paused)
                case.sla_resolution_deadline = sla.resolution_hours and planner.plan(
                    case.date_reported, sla.resolution_hours + paused)

    @api.depends('sla_response_deadline', 'sla_resolution_deadline', 'is_closed', 'date_closed',
                 'date_first_response', 'sla_pause_start')
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for case in self:
            # Each company sets its own warning margin.
            margin = timedelta(hours=case.company_id.aftersales_sla_margin_hours)
            case.sla_status = case._sla_status_at(now, margin)

    @api.depends('date_closed', 'sla_resolution_deadline')
    def _compute_sla_delay_hours(self):
        for calendar, cases in self.grouped(lambda c: c._sla_calendar()).items():
            planner = WorkingTime(calendar) if calendar else None
            for case in cases:
                deadline, closed = case.sla_resolution_deadline, case.date_closed
                if not planner or not deadline or not closed:
                    case.sla_delay_hours = 0.0
                elif closed >= deadline:
                    case.sla_delay_hours = round(planner.hours_between(deadline, closed), 2)
                else:
                    case.sla_delay_hours = -round(planner.hours_between(closed, deadline), 2)

    # CRUD methods

    def write(self, vals):
        if 'stage_id' not in vals:
            return super().write(vals)
        stage = self.env['aftersales.case.stage'].browse(vals['stage_id'])
        now = fields.Datetime.now()
        resuming = self.filtered(lambda c: c.sla_pause_start and not c._sla_pauses_in(stage))
        pausing = self.filtered(lambda c: not c.sla_pause_start and c._sla_pauses_in(stage))
        result = super().write(vals)
        resuming._sla_resume(now)
        pausing.sla_pause_start = now
        return result

    # Business methods

    def _sla_calendar(self):
        self.ensure_one()
        return self.team_id.resource_calendar_id or self.company_id.resource_calendar_id

    def _sla_pauses_in(self, stage):
        self.ensure_one()
        return bool(stage) and (stage.is_on_hold or (self.sla_id and self.sla_id._is_paused_in(stage)))

    def _sla_resume(self, now):
        """Add the working hours spent on hold; the deadlines move as much."""
        for calendar, cases in self.grouped(lambda c: c._sla_calendar()).items():
            planner = WorkingTime(calendar) if calendar else None
            for case in cases:
                held = planner.hours_between(case.sla_pause_start, now) if planner else 0.0
                case.write({
                    'sla_paused_hours': case.sla_paused_hours + held,
                    'sla_pause_start': False,
                })

    def _sla_status_at(self, now, margin):
        """The status of the case's service level at ``now``."""
        self.ensure_one()
        deadlines = [d for d in (self._sla_open_response_deadline(), self.sla_resolution_deadline) if d]
        if not self.sla_id or not deadlines:
            return False
        if self.is_closed:
            late = self.sla_resolution_deadline and self.date_closed \
                and self.date_closed > self.sla_resolution_deadline
            responded_late = self.sla_response_deadline and self.date_first_response \
                and self.date_first_response > self.sla_response_deadline
            return 'breached' if late or responded_late else 'met'
        if self.sla_pause_start:
            # The clock stopped: measure against the moment it stopped.
            now = self.sla_pause_start
        if any(now > deadline for deadline in deadlines) or (
                self.date_first_response and self.sla_response_deadline
                and self.date_first_response > self.sla_response_deadline):
            return 'breached'
        if any(now > deadline - margin for deadline in deadlines):
            return 'at_risk'
        return 'on_track'

    def _sla_open_response_deadline(self):
        """The response deadline while no agent answered yet."""
        return not self.date_first_response and self.sla_response_deadline
