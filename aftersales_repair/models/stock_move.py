from odoo import models


class StockMove(models.Model):
    _inherit = 'stock.move'

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        received = moves.filtered(
            lambda m: m.state == 'done' and m.aftersales_rma_line_id
            and m._aftersales_rma_direction() == 'received'
        )
        # sudo: the warehouse validates receipts without rights on returns or
        # repairs; the picking's own checks already ran.
        lines = received.aftersales_rma_line_id.sudo().filtered(
            lambda line: line.resolution == 'repair' and line.company_id.aftersales_repair_auto_create
            and not line.product_uom_id.is_zero(line._get_qty_waiting())
        )
        if lines:
            lines.rma_id._create_repairs(lines)
        return moves
