from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import lock_rows

ASSIGNMENT_METHODS = [
    ('manual', "Manual"),
    ('round_robin', "Round-Robin"),
    ('balanced', "Least Open Cases"),
]


class AftersalesTeam(models.Model):
    _name = 'aftersales.team'
    _description = "After-Sales Team"
    _inherit = ['mail.alias.mixin', 'mail.thread']
    _order = 'sequence, name, id'
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        'res.users', string="Team Leader", check_company=True, tracking=True,
        domain="[('share', '=', False)]",
    )
    member_ids = fields.Many2many(
        'res.users', 'aftersales_team_member_rel', 'team_id', 'user_id', string="Members",
        check_company=True, domain="[('share', '=', False)]",
    )
    resource_calendar_id = fields.Many2one(
        'resource.calendar', string="Working Hours", check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="The hours the team works, for deadlines and service levels.",
    )
    assignment_method = fields.Selection(
        ASSIGNMENT_METHODS, required=True, default='manual',
        help="How new cases of the team get their responsible: by hand, in turn among "
             "the members, or to the member with the fewest open cases.",
    )
    last_assigned_user_id = fields.Many2one(
        'res.users', readonly=True, copy=False,
        help="The member who got the last case in turn (round-robin).",
    )
    stage_ids = fields.Many2many('aftersales.case.stage', string="Stages")
    case_ids = fields.One2many('aftersales.case', 'team_id', string="Cases")
    open_case_count = fields.Integer(compute='_compute_case_counts')
    unassigned_case_count = fields.Integer(compute='_compute_case_counts')
    urgent_case_count = fields.Integer(compute='_compute_case_counts')
    at_risk_case_count = fields.Integer(
        compute='_compute_case_counts',
        help="Open cases whose service level deadline falls within the warning margin: "
             "they are escalated when it passes.",
    )
    new_response_case_count = fields.Integer(
        compute='_compute_case_counts',
        help="Open cases the customer wrote on after the last answer of an agent.",
    )

    @api.depends('case_ids.is_closed', 'case_ids.user_id', 'case_ids.priority',
                 'case_ids.sla_status', 'case_ids.new_customer_response')
    def _compute_case_counts(self):
        groups = self.env['aftersales.case']._read_group(
            [('team_id', 'in', self.ids), ('is_closed', '=', False)],
            ['team_id', 'user_id', 'priority', 'sla_status', 'new_customer_response'], ['__count'],
        )
        counts = {team: dict.fromkeys(('open', 'unassigned', 'urgent', 'at_risk', 'new_response'), 0)
                  for team in self}
        for team, user, priority, sla_status, new_response, count in groups:
            team_counts = counts[team]
            team_counts['open'] += count
            team_counts['unassigned'] += count if not user else 0
            team_counts['urgent'] += count if priority in ('2', '3') else 0
            team_counts['at_risk'] += count if sla_status == 'at_risk' else 0
            team_counts['new_response'] += count if new_response else 0
        for team in self:
            team.open_case_count = counts[team]['open']
            team.unassigned_case_count = counts[team]['unassigned']
            team.urgent_case_count = counts[team]['urgent']
            team.at_risk_case_count = counts[team]['at_risk']
            team.new_response_case_count = counts[team]['new_response']

    @api.constrains('user_id', 'member_ids', 'assignment_method')
    def _check_members(self):
        for team in self:
            if team.assignment_method != 'manual' and not team.member_ids:
                raise ValidationError(self.env._(
                    "Team %(team)s assigns cases automatically: add its members first.",
                    team=team.name,
                ))

    # Mail alias

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values['alias_model_id'] = self.env['ir.model']._get('aftersales.case').id
        if self.id:
            values['alias_defaults'] = defaults = literal_eval(self.alias_defaults or "{}")
            defaults['team_id'] = self.id
            defaults.setdefault('company_id', self.company_id.id)
        return values

    # Assignment

    def _assign_cases(self, cases):
        """Give ``cases`` a responsible by this team's assignment method."""
        self.ensure_one()
        if self.assignment_method == 'manual' or not self.member_ids:
            return
        # Serialise concurrent assignments of one team, so that two cases
        # created at once do not both go to the same "next" member; touched,
        # so that the second counts the first one's cases (balanced method).
        lock_rows(self, touch=True)
        members = self.member_ids.sorted('id')
        if self.assignment_method == 'round_robin':
            self._assign_round_robin(cases, members)
        else:
            self._assign_balanced(cases, members)

    def _assign_round_robin(self, cases, members):
        index = members.ids.index(self.last_assigned_user_id.id) + 1 \
            if self.last_assigned_user_id in members else 0
        for case in cases:
            user = members[index % len(members)]
            case.user_id = user
            index += 1
        self.sudo().last_assigned_user_id = user

    def _assign_balanced(self, cases, members):
        load = dict.fromkeys(members, 0)
        # sudo: the load counts every member's cases, not only those the
        # creating user may read.
        load.update(self.env['aftersales.case'].sudo()._read_group(
            [('team_id', '=', self.id), ('is_closed', '=', False),
             ('user_id', 'in', members.ids), ('id', 'not in', cases.ids)],
            ['user_id'], ['__count'],
        ))
        for case in cases:
            user = min(members, key=lambda member: (load[member], member.id))
            case.user_id = user
            load[user] += 1
