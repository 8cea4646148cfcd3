from odoo import fields, models

KINDS = [
    ('question', "Question"),
    ('quality', "Quality Concern"),
    ('return', "Return"),
    ('warranty', "Warranty Claim"),
    ('complaint', "Complaint"),
    ('dispute', "Dispute"),
    ('remark', "Remark"),
    ('issue', "Issue"),
    ('call', "Call"),
    ('ticket', "Ticket"),
    ('service', "Service"),
    ('work_order', "Work Order"),
    ('internal', "Internal Report"),
    ('goods_receipt', "Goods-Receipt Rejection"),
    ('punch_list', "Project Punch-List Item"),
    ('other', "Other"),
]


class AftersalesCaseType(models.Model):
    _name = 'aftersales.case.type'
    _description = "After-Sales Case Type"
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    kind = fields.Selection(
        KINDS, required=True, default='other',
        help="What the suite does with cases of this type: a return tells the returns "
             "team, a warranty claim is checked against warranty terms...",
    )
    team_id = fields.Many2one(
        'aftersales.team', string="Default Team",
        help="Cases of this type go to this team unless one is chosen.",
    )
    stage_ids = fields.Many2many(
        'aftersales.case.stage', string="Stages",
        help="The stages cases of this type go through; empty means all of their team's.",
    )
    field_ids = fields.One2many(
        'aftersales.case.type.field', 'type_id', string="Fields",
        help="The optional fields cases of this type show, and which of them are "
             "required. Without any line, every optional field is shown.",
    )
    open_limit_days = fields.Integer(
        string="Open Limit (days)",
        help="Cases of this type open longer than this are flagged and their responsible "
             "gets an activity; 0: no limit.",
    )
    case_count = fields.Integer(compute='_compute_case_count', string="Cases")

    _name_uniq = models.Constraint('unique (name)', "A case type with this name already exists.")
    _open_limit_positive = models.Constraint(
        'CHECK (open_limit_days >= 0)', "A case type's open limit cannot be negative.",
    )

    def _compute_case_count(self):
        counts = dict(self.env['aftersales.case']._read_group(
            [('type_id', 'in', self.ids), ('is_closed', '=', False)],
            ['type_id'], ['__count'],
        ))
        for case_type in self:
            case_type.case_count = counts.get(case_type, 0)
