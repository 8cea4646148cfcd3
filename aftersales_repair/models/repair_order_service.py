from odoo import fields, models
from odoo.exceptions import UserError


class RepairOrder(models.Model):
    """When a repaired product left the service department."""

    _inherit = 'repair.order'

    aftersales_left_service_date = fields.Datetime(
        string="Left Service", copy=False, tracking=True, index='btree_not_null',
        help="When the repaired product left the service department.",
    )

    def action_aftersales_left_service(self):
        """Record now as the moment the repaired products left service."""
        not_done = self.filtered(lambda r: r.state != 'done')
        if not_done:
            # Only a repaired product can leave: an open repair still holds it.
            raise UserError(self.env._(
                "Repair %(repairs)s is not done: only a repaired product can leave service.",
                repairs=", ".join(not_done.mapped('name')),
            ))
        self.filtered(lambda r: not r.aftersales_left_service_date).write({
            'aftersales_left_service_date': fields.Datetime.now(),
        })
        return True
