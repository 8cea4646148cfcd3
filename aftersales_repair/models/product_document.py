from odoo import fields, models

DOCUMENT_KINDS = [
    ('manual', "Manual"),
    ('procedure', "Procedure"),
]


class ProductDocument(models.Model):
    _inherit = 'product.document'

    aftersales_kind = fields.Selection(
        DOCUMENT_KINDS, string="Service Document",
        help="Manuals and standard procedures open from the repair operations on the product.",
    )
