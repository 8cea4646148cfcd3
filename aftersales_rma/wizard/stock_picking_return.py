from odoo import fields, models


class StockReturnPickingLine(models.TransientModel):
    _inherit = 'stock.return.picking.line'

    aftersales_rma_line_id = fields.Many2one('aftersales.rma.line', string="Return Line")

    def _prepare_move_default_values(self, new_picking):
        vals = super()._prepare_move_default_values(new_picking)
        if self.aftersales_rma_line_id:
            vals['aftersales_rma_line_id'] = self.aftersales_rma_line_id.id
        return vals


class StockReturnPicking(models.TransientModel):
    _inherit = 'stock.return.picking'

    aftersales_rma_id = fields.Many2one('aftersales.rma', string="Return")

    def _prepare_picking_default_values(self):
        vals = super()._prepare_picking_default_values()
        if self.aftersales_rma_id:
            vals['aftersales_rma_id'] = self.aftersales_rma_id.id
            vals['origin'] = self.env._(
                "%(rma)s: return of %(picking)s",
                rma=self.aftersales_rma_id.name, picking=self.picking_id.name,
            )
        return vals
