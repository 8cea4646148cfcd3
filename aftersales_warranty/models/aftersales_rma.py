from odoo import fields, models


class AftersalesRma(models.Model):
    _inherit = 'aftersales.rma'

    aftersales_under_warranty = fields.Boolean(
        string="Under Warranty", readonly=True, copy=False,
        help="Made from an accepted warranty claim: its repairs are under warranty, nothing charged.",
    )
    aftersales_warranty_claim_ids = fields.One2many(
        'aftersales.warranty.claim', 'rma_id', string="Warranty Claims",
        groups='aftersales_warranty.aftersales_warranty_group_user',
    )
