from odoo import fields, models


class AftersalesRmaProductReport(models.Model):
    _name = 'aftersales.rma.product.report'
    _description = "Return Rate per Product"
    _auto = False

    product_id = fields.Many2one('product.product', readonly=True)
