from odoo import fields, models


class AftersalesRepairCost(models.Model):
    """An extra cost of a repair quote: mileage, call-out fee, board and
    lodging... a service product, charged like the operations."""

    _name = 'aftersales.repair.cost'
    _inherit = ['aftersales.repair.charge']
    _description = "Repair Extra Cost"
    _order = 'repair_id, sequence, id'

    product_id = fields.Many2one(string="Cost")
