from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import format_date, plaintext2html


class AftersalesWarrantyMaintenance(models.Model):
    _name = 'aftersales.warranty.maintenance'
    _description = "Planned Maintenance"
    _inherit = ['mail.thread']
    _order = 'date_next, id'
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    scope = fields.Selection([
        ('equipment_type', "Equipment Type"), ('registration', "Unit"),
    ], string="Applies To", required=True, default='equipment_type', tracking=True)
    equipment_type_id = fields.Many2one(
        'aftersales.warranty.equipment.type', check_company=True, tracking=True,
        help="Every unit of this type covered by a running service contract is maintained.",
    )
    registration_id = fields.Many2one(
        'aftersales.warranty', string="Unit", check_company=True, tracking=True,
        help="The unit maintained, while a running service contract covers it.",
    )
    interval_months = fields.Integer(string="Every (Months)", required=True, default=12, tracking=True)
    date_next = fields.Date(string="Next Due Date", required=True, tracking=True, index=True)
    lead_days = fields.Integer(
        default=7,
        help="How many days before the due date the visits are planned.",
    )
    # Stored so that the planning run finds the schedules due by a domain.
    date_plan = fields.Date(string="Planned On", compute='_compute_date_plan', store=True, index=True)
    date_last_planned = fields.Date(
        string="Last Planned Due Date", readonly=True, copy=False,
        help="The due date whose visits were last planned.",
    )
    team_id = fields.Many2one('aftersales.team', check_company=True)
    user_id = fields.Many2one('res.users', string="Technician", domain="[('share', '=', False)]")
    case_ids = fields.One2many('aftersales.case', 'aftersales_maintenance_id', string="Visits")
    case_count = fields.Integer(compute='_compute_case_count')

    _interval_positive = models.Constraint(
        'CHECK(interval_months > 0)', "Maintenance is planned at least a month apart.",
    )

    @api.depends('date_next', 'lead_days')
    def _compute_date_plan(self):
        for schedule in self:
            lead = relativedelta(days=schedule.lead_days)
            schedule.date_plan = schedule.date_next and schedule.date_next - lead

    @api.depends('case_ids')
    def _compute_case_count(self):
        counts = dict(self.env['aftersales.case']._read_group(
            [('aftersales_maintenance_id', 'in', self.ids)], ['aftersales_maintenance_id'], ['__count'],
        ))
        for schedule in self:
            schedule.case_count = counts.get(schedule, 0)

    @api.constrains('scope', 'equipment_type_id', 'registration_id', 'lead_days')
    def _check_target(self):
        for schedule in self:
            if schedule.scope == 'equipment_type' and not schedule.equipment_type_id:
                raise ValidationError(self.env._(
                    "Maintenance %(name)s needs an equipment type.", name=schedule.name,
                ))
            if schedule.scope == 'registration' and not schedule.registration_id:
                raise ValidationError(self.env._("Maintenance %(name)s needs a unit.", name=schedule.name))
            if schedule.lead_days < 0:
                raise ValidationError(self.env._(
                    "Maintenance %(name)s cannot be planned after its due date.", name=schedule.name,
                ))

    def action_view_cases(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('aftersales_case.aftersales_case_action')
        action['domain'] = [('aftersales_maintenance_id', '=', self.id)]
        action['context'] = {'create': False}
        return action

    # Planning

    def _get_covered_registrations(self):
        """Units of the schedules' companies covered by a running contract, in one search."""
        contracts = self.env['aftersales.warranty.contract'].search([
            ('state', '=', 'running'), ('company_id', 'in', self.company_id.ids),
        ])
        return contracts.registration_ids.filtered(lambda r: r.state != 'void')

    def _get_maintained_registrations(self, covered):
        self.ensure_one()
        if self.scope == 'registration':
            units = self.registration_id & covered
        else:
            units = covered.filtered(lambda r, t=self.equipment_type_id: r.equipment_type_id == t)
        return units.filtered(lambda r, c=self.company_id: r.company_id == c)

    def _prepare_case_vals(self, registration):
        self.ensure_one()
        unit = registration.lot_id.name or registration.product_id.display_name
        vals = {
            'subject': self.env._(
                "%(maintenance)s: %(unit)s, due %(date)s", maintenance=self.name, unit=unit,
                date=format_date(self.env, self.date_next),
            ),
            'type_id': self.env.ref('aftersales_case.type_work_order').id,
            'company_id': self.company_id.id,
            'partner_id': registration.partner_id.id,
            'product_ids': [fields.Command.set(registration.product_id.ids)],
            'aftersales_lot_id': registration.lot_id.id,
            'planned_start': fields.Datetime.to_datetime(self.date_next),
            'date_deadline': self.date_next,
            'description': registration.location and plaintext2html(registration.location),
            'aftersales_maintenance_id': self.id,
            'aftersales_maintenance_date': self.date_next,
        }
        if self.team_id:
            vals['team_id'] = self.team_id.id
        if self.user_id:
            vals['user_id'] = self.user_id.id
        return vals

    def _plan_due(self, today=None):
        """Plan a visit per maintained unit of the schedules due by ``today``, then
        move each schedule's due date by its interval.

        The due date moves in the same transaction as the visits are made:
        a second run finds the schedule no longer due; two runs at once are
        kept apart by the scheduled run's row lock."""
        today = today or fields.Date.context_today(self)
        due = self.filtered(lambda s: s.active and s.date_plan <= today)
        covered = due._get_covered_registrations()
        vals_list = []
        for schedule in due:
            units = schedule._get_maintained_registrations(covered)
            vals_list += [schedule._prepare_case_vals(unit) for unit in units]
        cases = self.env['aftersales.case'].create(vals_list)
        for schedule in due:
            schedule.write({
                'date_last_planned': schedule.date_next,
                'date_next': schedule.date_next + relativedelta(months=schedule.interval_months),
            })
        return cases

    @api.model
    def _cron_plan(self, batch_size=50):
        """Plan the visits due, in bounded batches committed each."""
        today = fields.Date.context_today(self)
        domain = Domain('date_plan', '<=', today)
        done = []
        while True:
            found = self.search(domain & Domain('id', 'not in', done), limit=batch_size)
            if not found:
                break
            # A schedule missed for several intervals gets one due date a run.
            done += found.ids
            found.try_lock_for_update()._plan_due(today)
            remaining = self.search_count(domain & Domain('id', 'not in', done))
            if not self.env['ir.cron']._commit_progress(len(found), remaining=remaining):
                break
