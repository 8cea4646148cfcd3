from odoo import models


class AftersalesComplaint(models.Model):
    """The complaint's action plan: Odoo's activity plans launched on it, so
    that its steps are real activities with owners and deadlines."""

    _inherit = 'aftersales.complaint'

    # Actions

    def action_open_plan(self):
        """Open core's plan launcher on the complaint: the action plan is a
        set of activities, scheduled by ``mail.activity.plan``."""
        self.ensure_one()
        self._ensure_state(('registered', 'planned'))
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._("Launch an Action Plan"),
            'res_model': 'mail.activity.schedule',
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'plan_mode': True,
                'active_model': self._name,
                'active_id': self.id,
                'active_ids': self.ids,
            },
        }

    # Business methods

    def _launch_default_plan(self):
        self._launch_plan(self.env.ref('aftersales_complaint.mail_activity_plan_complaint'))

    def _launch_plan(self, plan):
        """Schedule ``plan``'s activities through core's plan launcher."""
        schedule = self.env['mail.activity.schedule'].with_context(
            active_model=self._name, active_ids=self.ids,
        ).create(self._prepare_plan_schedule_vals(plan))
        schedule.action_schedule_plan()

    def _prepare_plan_schedule_vals(self, plan):
        return {
            'res_model': self._name,
            'res_ids': str(self.ids),
            'plan_id': plan.id,
            'plan_on_demand_user_id': self[:1].user_id.id or self.env.user.id,
        }
