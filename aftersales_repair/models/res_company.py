from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    aftersales_repair_auto_create = fields.Boolean(
        string="Repair Returned Goods on Receipt",
        help="A repair order opens by itself for each unit to repair as soon as the "
             "return's receipt is validated.",
    )
