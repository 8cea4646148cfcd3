from odoo import fields, models


class RepairOrder(models.Model):
    _name = 'repair.order'
    _inherit = ['repair.order', 'aftersales.warranty.holder']

    aftersales_warranty_claim_ids = fields.One2many(
        'aftersales.warranty.claim', 'repair_id', string="Warranty Claims",
        groups='aftersales_warranty.aftersales_warranty_group_user',
    )
