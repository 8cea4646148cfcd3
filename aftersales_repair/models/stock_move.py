from odoo import models
from odoo.exceptions import UserError


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

    # Repair parts

    def action_aftersales_replenish(self):
        """Procure what repair parts miss, the native way: by each product's
        own routes (buy, manufacture, resupply), for the repair's warehouse."""
        parts = self.filtered(lambda m: m.repair_id and m.repair_line_type == 'add')
        if parts.filtered(lambda m: m.repair_id.state not in ('confirmed', 'under_repair')):
            raise UserError(self.env._(
                "Parts are replenished for confirmed repairs: confirm the repair first, its parts "
                "are then reserved and what is missing shows.",
            ))
        missing = [
            (move, qty) for move in parts.filtered(lambda m: m.state not in ('done', 'cancel'))
            if move.product_id.uom_id.compare(qty := move._get_aftersales_missing_qty(), 0.0) > 0
        ]
        if not missing:
            raise UserError(self.env._(
                "Nothing is missing: the parts are in stock or on their way.",
            ))
        for move, qty in missing:
            self.env['product.replenish'].with_context(
                default_product_id=move.product_id.id,
            ).create(move._prepare_aftersales_replenish_vals(qty)).launch_replenishment()
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'type': 'success',
                'message': self.env._(
                    "Replenishment launched for %(parts)s.",
                    parts=", ".join(move.product_id.display_name for move, _qty in missing),
                ),
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }

    def _get_aftersales_missing_qty(self):
        """What the part lacks, in the product's unit: neither in stock for it
        nor forecast to arrive in time."""
        self.ensure_one()
        return self.product_qty - max(self.forecast_availability, 0.0)

    def _prepare_aftersales_replenish_vals(self, qty):
        self.ensure_one()
        return {
            'product_id': self.product_id.id,
            'product_tmpl_id': self.product_id.product_tmpl_id.id,
            'product_uom_id': self.product_id.uom_id.id,
            'quantity': qty,
            'warehouse_id': self.repair_id.picking_type_id.warehouse_id.id,
        }
