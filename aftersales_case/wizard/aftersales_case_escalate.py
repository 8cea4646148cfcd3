from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesCaseEscalate(models.TransientModel):
    _name = 'aftersales.case.escalate'
    _description = "Escalate a Case"

    case_id = fields.Many2one('aftersales.case', required=True, ondelete='cascade')
    escalation_level = fields.Integer(related='case_id.escalation_level', string="Current Level")
    team_leader_id = fields.Many2one(related='case_id.team_id.user_id', string="Team Leader")
    reason = fields.Text(required=True, help="Why the case needs more attention; kept on the case.")

    @api.constrains('reason')
    def _check_reason(self):
        for wizard in self:
            if not (wizard.reason or '').strip():
                raise ValidationError(self.env._("Say why the case is escalated."))

    def action_escalate(self):
        self.ensure_one()
        self.case_id._action_escalate(self.reason.strip())
        return {'type': 'ir.actions.act_window_close'}
