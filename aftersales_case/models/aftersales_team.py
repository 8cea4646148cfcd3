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

    @api.depends('case_ids.is_closed', 'case_ids.user_id', 'case_ids.priority')
    def _compute_case_counts(self):
        groups = self.env['aftersales.case']._read_group(
            [('team_id', 'in', self.ids), ('is_closed', '=', False)],
            ['team_id', 'user_id', 'priority'], ['__count'],
        )
        counts = {team: {'open': 0, 'unassigned': 0, 'urgent': 0} for team in self}
        for team, user, priority, count in groups:
            counts[team]['open'] += count
            counts[team]['unassigned'] += count if not user else 0
            counts[team]['urgent'] += count if priority in ('2', '3') else 0
        for team in self:
            team.open_case_count = counts[team]['open']
            team.unassigned_case_count = counts[team]['unassigned']
            team.urgent_case_count = counts[team]['urgent']

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
