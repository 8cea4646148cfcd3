from collections import defaultdict

from odoo import Command, models
from odoo.exceptions import ValidationError


class AftersalesRma(models.Model):
    _inherit = 'aftersales.rma'

    def _create_receipts(self):
        """Create the receipts of approved returns with stock's own return mechanism.

        Goods delivered from an order come back on a return of their delivery
        (``stock.return.picking``), one receipt per original delivery as core
        would, so that the order's delivered quantity goes down by exactly
        what comes back (``to_refund`` only on refund lines: a replaced or
        repaired item must not make the order invoiceable again). Goods with
        no delivery to return come in on a receipt of the warehouse.
        """
        for rma in self:
            allocations, unmatched = rma.line_ids._allocate_origin_moves()
            by_picking = defaultdict(list)
            for line, move, qty in allocations:
                by_picking[move.picking_id].append((line, move, qty))
            for picking, picking_allocations in by_picking.items():
                rma._return_delivery(picking, picking_allocations)
            if unmatched:
                receipt = self.env['stock.picking'].create(rma._prepare_receipt_vals(unmatched))
                receipt.action_confirm()
            rma.picking_ids.move_ids.filtered(
                lambda m: m.aftersales_rma_line_id.lot_id and m.state not in ('done', 'cancel')
            )._aftersales_set_returned_lot()

    def _return_delivery(self, picking, allocations):
        wizard = self.env['stock.return.picking'].with_context(
            active_id=picking.id, active_model='stock.picking',
        ).create({
            'picking_id': picking.id,
            'aftersales_rma_id': self.id,
            'product_return_moves': [Command.clear()] + [
                Command.create(self._prepare_return_line_vals(line, move, qty))
                for line, move, qty in allocations
            ],
        })
        return wizard._create_return()

    def _prepare_return_line_vals(self, line, move, qty):
        return {
            'product_id': line.product_id.id,
            'move_id': move.id,
            'quantity': line.product_uom_id._compute_quantity(qty, move.product_uom),
            'to_refund': line.resolution == 'refund',
            'aftersales_rma_line_id': line.id,
        }

    def _prepare_receipt_vals(self, lines):
        self.ensure_one()
        picking_type = self.warehouse_id.in_type_id
        source = self.partner_shipping_id.property_stock_customer \
            or self.env.ref('stock.stock_location_customers')
        return {
            'picking_type_id': picking_type.id,
            'partner_id': self.partner_shipping_id.id,
            'location_id': source.id,
            'location_dest_id': picking_type.default_location_dest_id.id,
            'origin': self.name,
            'aftersales_rma_id': self.id,
            'company_id': self.company_id.id,
            'move_ids': [
                Command.create(self._prepare_receipt_move_vals(line, picking_type, source))
                for line in lines
            ],
        }

    def _prepare_receipt_move_vals(self, line, picking_type, source):
        return {
            'product_id': line.product_id.id,
            'product_uom_qty': line.product_uom_qty,
            'product_uom': line.product_uom_id.id,
            'location_id': source.id,
            'location_dest_id': picking_type.default_location_dest_id.id,
            'picking_type_id': picking_type.id,
            'partner_id': self.partner_shipping_id.id,
            'origin': self.name,
            'company_id': self.company_id.id,
            'aftersales_rma_line_id': line.id,
            'to_refund': False,
        }


class AftersalesRmaLine(models.Model):
    _inherit = 'aftersales.rma.line'

    def _check_lots_delivered(self):
        """Refuse a serial or lot never delivered to the return's customer.

        Stock would take any serial back: without this, a customer could
        return (and be credited for) a unit sold to someone else. A line from
        an order takes the lots its deliveries left at the customer; another
        line any lot a done delivery brought to the same commercial entity.
        """
        lines = self.filtered('lot_id')
        from_order = lines.filtered('sale_line_id')
        delivered = from_order.sale_line_id._aftersales_delivered_lots()
        wrong = from_order.filtered(lambda line: line.lot_id not in delivered[line.sale_line_id])
        others = lines - from_order
        if others:
            # sudo: deliveries are read to check the return, not shown.
            delivered_to = {
                (lot, partner.commercial_partner_id)
                for lot, partner in self.env['stock.move.line'].sudo()._read_group(
                    [('lot_id', 'in', others.lot_id.ids), ('state', '=', 'done'),
                     ('location_dest_id.usage', '=', 'customer'),
                     ('picking_id.partner_id', '!=', False)],
                    ['lot_id', 'picking_id.partner_id'],
                )
            }
            wrong |= others.filtered(
                lambda line: (line.lot_id, line.rma_id.commercial_partner_id) not in delivered_to
            )
        if wrong:
            raise ValidationError(self.env._(
                "%(rma)s: serial/lot %(lots)s was never delivered to %(customer)s.",
                rma=wrong[0].rma_id.name, lots=", ".join(wrong.lot_id.mapped('name')),
                customer=wrong[0].rma_id.commercial_partner_id.display_name,
            ))
