from odoo import fields, models


class StockScrap(models.Model):
    _inherit = 'stock.scrap'

    aftersales_rma_line_id = fields.Many2one(
        'aftersales.rma.line', string="Return Line", index='btree_not_null', readonly=True,
    )

    def _prepare_move_values(self):
        vals = super()._prepare_move_values()
        if self.aftersales_rma_line_id:
            vals['aftersales_rma_line_id'] = self.aftersales_rma_line_id.id
        return vals
