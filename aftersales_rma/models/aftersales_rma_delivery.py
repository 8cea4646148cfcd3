from odoo import Command, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import UserError


class AftersalesRma(models.Model):
    _inherit = 'aftersales.rma'

    def action_replace(self):
        """Deliver replacements for what came back on replace lines."""
        return self._send_back('replace', self.env._("replaced"))

    def action_return_goods(self):
        """Send the received goods back to the customer as they are."""
        return self._send_back('return', self.env._("sent back"))

    def action_scrap(self):
        """Scrap what came back on scrap lines."""
        self.check_access('write')
        # sudo: agents handle returns without stock rights; the write check on
        # these very returns is the guard.
        rmas = self.sudo()
        lock_rows(rmas, touch=True)
        rmas._ensure_state(('receiving', 'received'), self.env._("scrapped"))
        lines = rmas._lines_waiting('scrap', 'qty_scrapped')
        scraps = rmas.env['stock.scrap'].create([
            line._prepare_scrap_vals() for line in lines
        ])
        scraps.do_scrap()
        rmas._update_progress()
        return True

    def _send_back(self, resolution, verb):
        self.check_access('write')
        # sudo: agents handle returns without stock rights; the write check on
        # these very returns is the guard.
        rmas = self.sudo()
        lock_rows(rmas, touch=True)
        rmas._ensure_state(('receiving', 'received'), verb)
        lines = rmas._lines_waiting(resolution, 'qty_delivered')
        pickings = rmas.env['stock.picking']
        for rma, rma_lines in lines.grouped('rma_id').items():
            picking = rmas.env['stock.picking'].create(rma._prepare_delivery_vals(rma_lines))
            picking.action_confirm()
            picking.action_assign()
            if resolution == 'return':
                # The very goods that came back go out again.
                picking.move_ids.filtered(
                    lambda m: m.aftersales_rma_line_id.lot_id
                )._aftersales_set_returned_lot()
            pickings |= picking
        return self._action_view(pickings, 'stock.action_picking_tree_all')

    def _lines_waiting(self, resolution, done_field):
        """Lines of ``resolution`` with received goods not handled yet."""
        lines = self.line_ids.filtered(
            lambda line: line.resolution == resolution
            and line.product_uom_id.compare(
                line.qty_received, line[done_field] + line._qty_on_the_way(resolution)) > 0
        )
        if not lines:
            raise UserError(self.env._(
                "Nothing waits on %(rmas)s: no received goods of that kind are left to handle.",
                rmas=", ".join(self.mapped('name')),
            ))
        return lines

    def _prepare_delivery_vals(self, lines):
        """An outgoing transfer of the warehouse, tied to the return only.

        It is not linked to the original order: delivering it must neither
        add order lines nor count as delivered on the order.
        """
        self.ensure_one()
        picking_type = self.warehouse_id.out_type_id
        destination = self.partner_shipping_id.property_stock_customer \
            or self.env.ref('stock.stock_location_customers')
        return {
            'picking_type_id': picking_type.id,
            'partner_id': self.partner_shipping_id.id,
            'location_id': picking_type.default_location_src_id.id,
            'location_dest_id': destination.id,
            'origin': self.name,
            'aftersales_rma_id': self.id,
            'company_id': self.company_id.id,
            'move_ids': [
                Command.create(line._prepare_delivery_move_vals(picking_type, destination))
                for line in lines
            ],
        }


class AftersalesRmaLine(models.Model):
    _inherit = 'aftersales.rma.line'

    def _qty_on_the_way(self, resolution):
        """Quantity already on a pending delivery (or scrap) of this line."""
        self.ensure_one()
        if resolution == 'scrap':
            return 0.0
        return sum(
            move.product_uom._compute_quantity(move.product_uom_qty, self.product_uom_id)
            for move in self.move_ids
            if move.state not in ('done', 'cancel') and move._aftersales_rma_direction() == 'delivered'
        )

    def _prepare_delivery_move_vals(self, picking_type, destination):
        self.ensure_one()
        product = (self.resolution == 'replace' and self.replacement_product_id) or self.product_id
        qty = self.qty_received - self.qty_delivered - self._qty_on_the_way(self.resolution)
        return {
            'product_id': product.id,
            'product_uom_qty': self.product_uom_id._compute_quantity(qty, product.uom_id),
            'product_uom': product.uom_id.id,
            'location_id': picking_type.default_location_src_id.id,
            'location_dest_id': destination.id,
            'picking_type_id': picking_type.id,
            'partner_id': self.rma_id.partner_shipping_id.id,
            'origin': self.rma_id.name,
            'company_id': self.company_id.id,
            'aftersales_rma_line_id': self.id,
        }

    def _prepare_scrap_vals(self):
        self.ensure_one()
        receipt_moves = self.move_ids.filtered(
            lambda m: m.state == 'done' and m._aftersales_rma_direction() == 'received'
        )
        return {
            'product_id': self.product_id.id,
            'scrap_qty': self.qty_received - self.qty_scrapped,
            'product_uom_id': self.product_uom_id.id,
            'lot_id': self.lot_id.id,
            'location_id': receipt_moves[:1].location_dest_id.id,
            'origin': self.rma_id.name,
            'company_id': self.company_id.id,
            'aftersales_rma_line_id': self.id,
        }


class AftersalesRmaReturnOfReturn(models.Model):
    _inherit = 'aftersales.rma'

    def action_return_replacement(self):
        """A new return of the replacements this one delivered, when they broke too."""
        self.ensure_one()
        self.check_access('write')
        vals = self._prepare_replacement_return_vals()
        if not vals['line_ids']:
            raise UserError(self.env._(
                "Return %(rma)s delivered no replacement to send back.", rma=self.name,
            ))
        return self.create(vals)._get_records_action(name=self.env._("Return"))

    def _prepare_replacement_return_vals(self):
        """The return's values: one line per delivered serial, else per product."""
        self.ensure_one()
        lines = []
        for line in self.line_ids.filtered(lambda rl: rl.resolution == 'replace' and rl.qty_delivered):
            delivered = line.move_ids.filtered(
                lambda m: m.state == 'done' and m._aftersales_rma_direction() == 'delivered'
            )
            product = delivered.product_id[:1] or line.product_id
            base = {'product_id': product.id, 'reason_id': line.reason_id.id, 'resolution': 'replace'}
            lots = delivered.move_line_ids.lot_id
            if product.tracking == 'serial' and lots:
                lines += [Command.create({**base, 'lot_id': lot.id, 'product_uom_qty': 1}) for lot in lots]
            else:
                qty = sum(m.product_uom._compute_quantity(m.quantity, product.uom_id) for m in delivered)
                lines.append(Command.create({
                    **base, 'product_uom_qty': qty, 'product_uom_id': product.uom_id.id,
                    'lot_id': lots[:1].id if len(lots) == 1 else False,
                }))
        return {
            'partner_id': self.partner_id.id,
            'partner_shipping_id': self.partner_shipping_id.id,
            'origin_rma_id': self.id,
            'case_id': self.case_id.id,
            'team_id': self.team_id.id,
            'warehouse_id': self.warehouse_id.id,
            'company_id': self.company_id.id,
            'requested_resolution': 'replace',
            'line_ids': lines,
        }
