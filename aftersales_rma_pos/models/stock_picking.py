from odoo import api, models


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    @api.model
    def _create_picking_from_pos_order_lines(self, location_dest_id, lines, picking_type, partner=False):
        # The goods a return's refund order refunds came back on the return's
        # own receipt: the refund order moves nothing, or they would enter the
        # stock twice. Other lines (sales, refunds made at the till) move as
        # core moves them, in real time or when the session closes.
        lines = lines.filtered(lambda line: not line.aftersales_rma_line_id)
        return super()._create_picking_from_pos_order_lines(location_dest_id, lines, picking_type, partner)
