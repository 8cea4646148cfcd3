from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    aftersales_warranty_registration_trigger = fields.Selection(
        [('invoice', "When the Invoice Is Posted"), ('delivery', "When the Delivery Is Done"),
         ('none', "By Hand Only")],
        string="Register Warranties", required=True, default='delivery',
        help="When the units sold with warranty terms are registered in the installed base.",
    )
