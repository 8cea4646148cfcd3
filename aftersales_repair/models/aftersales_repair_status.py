from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesRepairStatus(models.Model):
    """A step an operation goes through (start, testing, waiting for parts,
    finished...): the list administrators keep. A *final* status ends the
    operation; the time spent is measured up to it."""

    _name = 'aftersales.repair.status'
    _description = "Repair Operation Status"
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_final = fields.Boolean(
        string="Final", help="Reaching this status ends the operation: its execution time "
                             "counts up to here.",
    )
    fold = fields.Boolean(string="Folded on the Board")
    description = fields.Text()

    _name_uniq = models.Constraint('unique (name)', "A status of that name already exists.")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.env['aftersales.repair.status.log'].sudo().search_count(
            [('status_id', 'in', self.ids)], limit=1,
        ) or self.env['aftersales.repair.operation'].sudo().search_count(
            [('status_id', 'in', self.ids)], limit=1,
        )
        if used:
            raise UserError(self.env._(
                "Operations went through these statuses and their history keeps them: archive "
                "the statuses instead of deleting them.",
            ))
