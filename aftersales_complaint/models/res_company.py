from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    aftersales_complaint_adjustment_product_id = fields.Many2one(
        'product.product', string="Complaint Adjustment Product",
        domain="[('type', '=', 'service')]",
        help="The product on the credit notes of accepted sales adjustments that do not "
             "reverse a whole invoice. Without one, the product Complaint Adjustment is used.",
    )
