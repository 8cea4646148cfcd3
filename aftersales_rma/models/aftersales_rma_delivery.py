from collections import defaultdict

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
        rmas = self._start_action(('receiving', 'received'), self.env._("scrapped"))
        lines = rmas._lines_waiting('scrap')
        scraps = rmas.env['stock.scrap'].create([
            line._prepare_scrap_vals() for line in lines
        ])
        scraps.do_scrap()
        rmas._update_progress()
        return True

    def _send_back(self, resolution, verb):
        rmas = self._start_action(('receiving', 'received'), verb)
        lines = rmas._lines_waiting(resolution)
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

    def _lines_waiting(self, resolution):
        """Lines of ``resolution`` with received goods not handled yet."""
        lines = self.line_ids.filtered(
            lambda line: line.resolution == resolution
            and not line.product_uom_id.is_zero(line._get_qty_waiting())
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

    def _prepare_delivery_move_vals(self, picking_type, destination):
        self.ensure_one()
        product = (self.resolution == 'replace' and self.replacement_product_id) or self.product_id
        qty = self._get_qty_waiting()
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
            'scrap_qty': self._get_qty_waiting(),
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
        """The return's values: one line per delivered serial, else per product,
        for what this return delivered and no other return asks back yet."""
        self.ensure_one()
        lines = []
        reasons = {line.product_id: line.reason_id for line in self.line_ids}
        for (product, lot), qty in self._get_replacements_returnable().items():
            if product.uom_id.compare(qty, 0.0) <= 0:
                continue
            lines.append(Command.create({
                'product_id': product.id, 'lot_id': lot.id, 'product_uom_qty': qty,
                'product_uom_id': product.uom_id.id, 'resolution': 'replace',
                'reason_id': reasons.get(product, self.env['aftersales.rma.reason']).id,
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

    def _get_replacements_returnable(self, exclude=None, with_drafts=True):
        """``{(product, serial or no lot): quantity in the product's unit}``
        delivered as replacements by this return, less what its returns (but
        ``exclude``) ask back; drafts count unless ``with_drafts`` is off."""
        self.ensure_one()
        # sudo: the deliveries and other teams' returns of the same goods count.
        rma = self.sudo()
        returnable = defaultdict(float)
        for line in rma.line_ids.filtered(lambda rl: rl.resolution == 'replace'):
            for move in line.move_ids.filtered(
                lambda m: m.state == 'done' and m._aftersales_rma_direction() == 'delivered'
            ):
                for move_line in move.move_line_ids:
                    returnable[_replacement_key(move.product_id, move_line.lot_id)] += \
                        move_line.product_uom_id._compute_quantity(move_line.quantity, move.product_id.uom_id)
        states = ('cancel', 'rejected') if with_drafts else ('cancel', 'rejected', 'draft')
        returns = rma.search([('origin_rma_id', '=', rma.id), ('state', 'not in', states),
                              ('id', 'not in', (exclude or rma.browse()).ids)])
        for line in returns.line_ids:
            returnable[_replacement_key(line.product_id, line.lot_id)] -= \
                line.product_uom_id._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
        return returnable

    def _check_replacements_returnable(self):
        """A return of replacements asks back at most what was delivered, once."""
        for rma in self.filtered('origin_rma_id'):
            lock_rows(rma.origin_rma_id, touch=True)
            returnable = rma.origin_rma_id._get_replacements_returnable(exclude=rma, with_drafts=False)
            asked = defaultdict(float)
            for line in rma.line_ids:
                asked[_replacement_key(line.product_id, line.lot_id)] += \
                    line.product_uom_id._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
            for (product, lot), qty in asked.items():
                if product.uom_id.compare(qty, returnable.get((product, lot), 0.0)) > 0:
                    raise UserError(self.env._(
                        "%(product)s%(lot)s: return %(origin)s delivered %(max)s %(uom)s that are "
                        "not asked back yet; %(rma)s asks for %(qty)s.",
                        product=product.display_name, lot=f" ({lot.name})" if lot else "",
                        origin=rma.origin_rma_id.name, uom=product.uom_id.name, rma=rma.name,
                        max=product.uom_id.round(max(0.0, returnable.get((product, lot), 0.0))),
                        qty=product.uom_id.round(qty),
                    ))


def _replacement_key(product, lot):
    """Serials are returned one by one; other goods by product."""
    return product, lot if product.tracking == 'serial' else lot.browse()
