from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    aftersales_standard_minutes = fields.Float(
        string="Standard Time (min)", digits=(16, 1),
        help="How long one unit of this repair operation should take, in minutes: "
             "operations' execution times are compared with it.",
    )
