from odoo import models
from odoo.exceptions import UserError


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    def _action_close_by_customer(self):
        """Close the case in the first closing stage of its flow that is not a
        cancellation: the customer accepted the resolution."""
        self.ensure_one()
        stage = self._allowed_stages().filtered(lambda s: s.is_closing and not s.is_cancelled)[:1]
        if not stage:
            raise UserError(self.env._(
                "Case %(case)s has no closing stage: please write to us instead.",
                case=self.name,
            ))
        self.stage_id = stage
        return True

    def _get_portal_status(self):
        """``(label, css class)`` of the case's badge on the portal."""
        self.ensure_one()
        if self.stage_id.is_cancelled:
            return self.stage_id.name, 'text-bg-secondary'
        if self.is_closed:
            return self.stage_id.name, 'text-bg-success'
        if self.is_on_hold:
            return self.stage_id.name, 'text-bg-warning'
        return self.stage_id.name or self.env._("New"), 'text-bg-info'
