from odoo import fields, models


class StockReturnPickingLine(models.TransientModel):
    _inherit = 'stock.return.picking.line'

    aftersales_vendor_line_id = fields.Many2one('aftersales.rma.line', string="Return Line Sent to Vendor")

    def _prepare_move_default_values(self, new_picking):
        vals = super()._prepare_move_default_values(new_picking)
        if self.aftersales_vendor_line_id:
            vals['aftersales_vendor_line_id'] = self.aftersales_vendor_line_id.id
        return vals
