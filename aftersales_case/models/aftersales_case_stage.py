from odoo import fields, models


class AftersalesCaseStage(models.Model):
    _name = 'aftersales.case.stage'
    _description = "After-Sales Case Stage"
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closing = fields.Boolean(
        string="Closing Stage",
        help="Cases in this stage are closed: solved, closed or cancelled.",
    )
    is_cancelled = fields.Boolean(
        string="Cancelled Stage", help="Closed without a solution; left out of success rates.",
    )
    is_on_hold = fields.Boolean(
        string="On Hold", help="Waiting for the customer or a third party.",
    )
    team_ids = fields.Many2many(
        'aftersales.team', string="Teams",
        help="The teams using this stage; empty means every team.",
    )
    template_id = fields.Many2one(
        'mail.template', string="E-mail Template",
        domain="[('model', '=', 'aftersales.case')]",
        help="Sent to the customer when a case reaches this stage.",
    )
