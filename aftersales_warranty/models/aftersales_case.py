from odoo import fields, models


class AftersalesCase(models.Model):
    _name = 'aftersales.case'
    _inherit = ['aftersales.case', 'aftersales.warranty.holder']

    aftersales_lot_id = fields.Many2one(
        'stock.lot', string="Serial Number", index='btree_not_null', check_company=True, tracking=True,
        help="The unit the case is about: its warranty registration is looked up.",
    )

    def _get_aftersales_warranty_lot(self):
        self.ensure_one()
        return self.aftersales_lot_id
