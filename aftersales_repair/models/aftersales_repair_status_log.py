from odoo import fields, models


class AftersalesRepairStatusLog(models.Model):
    """One status change of an operation: who set which status, and when.

    Whether the status was final is kept as it was at that moment, so that
    an administrator editing the list later rewrites no operation's timing.
    """

    _name = 'aftersales.repair.status.log'
    _description = "Repair Operation Status Change"
    _order = 'date, id'

    operation_id = fields.Many2one(
        'aftersales.repair.operation', required=True, index=True, ondelete='cascade', readonly=True,
    )
    repair_id = fields.Many2one(related='operation_id.repair_id', store=True, index=True)
    company_id = fields.Many2one(related='operation_id.company_id', store=True, index=True)
    status_id = fields.Many2one(
        'aftersales.repair.status', required=True, ondelete='restrict', readonly=True,
    )
    is_final = fields.Boolean(string="Final", readonly=True)
    user_id = fields.Many2one(
        'res.users', string="Set By", required=True, default=lambda self: self.env.user, readonly=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
