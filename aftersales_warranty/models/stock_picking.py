from odoo import models


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    def _action_done(self):
        result = super()._action_done()
        moves = self.move_ids.filtered(
            lambda m: m.state == 'done' and m.location_dest_usage == 'customer'
            and m.sale_line_id and not m.origin_returned_move_id
            and m.company_id.aftersales_warranty_registration_trigger == 'delivery'
        )
        if moves:
            # The warehouse validates deliveries without warranty rights: the
            # registrations follow from the delivery it was allowed to make.
            self.env['aftersales.warranty'].sudo()._register_moves(moves)
        return result
