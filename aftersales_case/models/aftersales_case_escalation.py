from odoo import models


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'
