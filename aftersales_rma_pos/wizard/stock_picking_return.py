from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = 'stock.return.picking'

    def _prepare_picking_default_values(self):
        vals = super()._prepare_picking_default_values()
        picking = self.picking_id
        if not (self.aftersales_rma_id and picking.pos_order_id):
            return vals
        # The return's receipt is no picking of the till: the session closing
        # would otherwise book its goods with the till's (it accounts for the
        # pickings of its orders).
        vals.update(pos_order_id=False, pos_session_id=False)
        if picking.picking_type_id.return_picking_type_id.code != 'incoming':
            # The till's delivery type has no receipt type for its returns: the
            # goods come in on a receipt of the warehouse, still a return of
            # the till's delivery.
            receipt_type = picking.picking_type_id.warehouse_id.in_type_id \
                or self.aftersales_rma_id.warehouse_id.in_type_id
            vals.update(picking_type_id=receipt_type.id,
                        location_dest_id=receipt_type.default_location_dest_id.id)
        return vals
