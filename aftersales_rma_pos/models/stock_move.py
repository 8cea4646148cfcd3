from odoo import models


class StockMove(models.Model):
    _inherit = 'stock.move'

    def _prepare_merge_moves_distinct_fields(self):
        # Each return line counts its own moves: two lines returned from the
        # same delivery move (two serials of a till receipt line) must not be
        # merged into one move that only one of them would count.
        return [*super()._prepare_merge_moves_distinct_fields(), 'aftersales_rma_line_id']
