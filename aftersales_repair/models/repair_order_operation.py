from odoo import api, fields, models


class RepairOrder(models.Model):
    """The service operations of a repair, and their time against standard."""

    _inherit = 'repair.order'

    aftersales_operation_ids = fields.One2many(
        'aftersales.repair.operation', 'repair_id', string="Operations",
    )
    aftersales_duration = fields.Float(
        string="Execution Time (min)", digits=(16, 1), compute='_compute_aftersales_durations',
        store=True,
    )
    aftersales_standard_duration = fields.Float(
        string="Standard Time (min)", digits=(16, 1), compute='_compute_aftersales_durations',
        store=True,
    )

    @api.depends('aftersales_operation_ids.duration', 'aftersales_operation_ids.standard_duration')
    def _compute_aftersales_durations(self):
        for repair in self:
            operations = repair.aftersales_operation_ids
            repair.aftersales_duration = sum(operations.mapped('duration'))
            repair.aftersales_standard_duration = sum(operations.mapped('standard_duration'))
