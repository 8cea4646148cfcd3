from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    aftersales_complaint_adjustment_product_id = fields.Many2one(
        'product.product', string="Complaint Adjustment Product",
        domain="[('type', '=', 'service')]",
        help="The product on the credit notes of accepted sales adjustments that do not "
             "reverse a whole invoice. Without one, the product Complaint Adjustment is used.",
    )
    aftersales_complaint_close_days = fields.Integer(
        string="Complaint Closing Target (days)", default=30,
        help="Days from its date of issue within which a complaint should be closed; "
             "an open complaint past it is open too long.",
    )
