from odoo import fields, models


class AftersalesCaseType(models.Model):
    _inherit = 'aftersales.case.type'

    portal_visible = fields.Boolean(
        string="Visible on the Portal",
        help="Customers choose this type when they open a case from their portal.",
    )
