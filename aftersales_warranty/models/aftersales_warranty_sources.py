from collections import defaultdict

from odoo import api, models


class AftersalesWarranty(models.Model):
    """Registrations made from the documents a unit came with: its invoice
    line or its delivery."""

    _inherit = 'aftersales.warranty'

    @api.model
    def _register_invoice_lines(self, lines):
        """Register the units of customer invoice ``lines`` whose products have
        warranty terms. Lines registered before, and serials already
        registered, are skipped: registering twice is harmless."""
        terms = self.env['aftersales.warranty.term']._get_for_products(lines.product_id)
        lines = lines.filtered(lambda line: line.product_id in terms and line.quantity > 0)
        lines -= self.search([('invoice_line_id', 'in', lines.ids)]).invoice_line_id
        vals_list = []
        for line in lines:
            lots = line.sale_line_ids.move_ids.filtered(
                lambda m, product=line.product_id: m.state == 'done'
                and m.location_dest_usage == 'customer' and m.product_id == product
            ).move_line_ids.lot_id
            for lot, quantity in self._split_by_lot(line.product_id, line.quantity, lots):
                vals_list.append(self._prepare_invoice_line_registration_vals(line, lot, quantity))
        return self._create_registrations(vals_list)

    @api.model
    def _register_moves(self, moves):
        """Register the units delivered to customers by done ``moves`` whose
        products have warranty terms."""
        terms = self.env['aftersales.warranty.term']._get_for_products(moves.product_id)
        moves = moves.filtered(lambda m: m.product_id in terms)
        moves -= self.search([('move_id', 'in', moves.ids)]).move_id
        vals_list = []
        for move in moves:
            by_lot = defaultdict(float)
            for move_line in move.move_line_ids:
                by_lot[move_line.lot_id] += move_line.quantity
            for lot, quantity in by_lot.items():
                for unit_lot, unit_qty in self._split_by_lot(move.product_id, quantity, lot):
                    vals_list.append(self._prepare_move_registration_vals(move, unit_lot, unit_qty))
        return self._create_registrations(vals_list)

    @api.model
    def _split_by_lot(self, product, quantity, lots):
        """``[(lot, quantity)]``: one unit per serial number, one line per lot,
        the whole quantity when the units are not told apart."""
        if product.tracking == 'serial':
            units = [(lot, 1.0) for lot in lots[:int(quantity)]]
            return units + [(self.env['stock.lot'], 1.0)] * (int(quantity) - len(units))
        if lots:
            return [(lot, quantity / len(lots)) for lot in lots]
        return [(self.env['stock.lot'], quantity)]

    @api.model
    def _create_registrations(self, vals_list):
        """Create the registrations of ``vals_list``, leaving out the serials
        already registered (they stay with their first registration)."""
        lot_ids = [vals['lot_id'] for vals in vals_list if vals.get('lot_id')]
        taken = {
            (reg.product_id.id, reg.lot_id.id)
            for reg in self.search([('lot_id', 'in', lot_ids), ('state', '!=', 'void')])
        }
        kept = []
        for vals in vals_list:
            key = (vals['product_id'], vals.get('lot_id'))
            if not vals.get('lot_id') or key not in taken:
                taken.add(key)
                kept.append(vals)
        return self.create(kept)

    def _prepare_invoice_line_registration_vals(self, line, lot, quantity):
        invoice = line.move_id
        order = line.sale_line_ids.order_id[:1]
        return {
            'company_id': invoice.company_id.id,
            'partner_id': invoice.partner_id.id,
            'site_partner_id': invoice.partner_shipping_id.id or invoice.partner_id.id,
            'product_id': line.product_id.id,
            'lot_id': lot.id,
            'quantity': quantity,
            'invoice_id': invoice.id,
            'invoice_line_id': line.id,
            'sale_order_id': order.id,
        }

    def _prepare_move_registration_vals(self, move, lot, quantity):
        picking = move.picking_id
        order = move.sale_line_id.order_id
        return {
            'company_id': move.company_id.id,
            'partner_id': (order.partner_id or picking.partner_id).id,
            'site_partner_id': picking.partner_id.id,
            'product_id': move.product_id.id,
            'lot_id': lot.id,
            'quantity': quantity,
            'picking_id': picking.id,
            'move_id': move.id,
            'sale_order_id': order.id,
        }
