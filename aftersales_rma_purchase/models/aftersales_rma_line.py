from odoo import api, fields, models
from odoo.exceptions import UserError

# Resolutions whose goods stay with us once received: the customer is
# credited, gets another unit or gets the repaired one. Goods returned as
# they are go back to the customer, scrapped goods are gone.
VENDOR_RESOLUTIONS = ('refund', 'replace', 'repair')


class AftersalesRmaLine(models.Model):
    """Goods a customer returned may go back to the vendor they came from.

    That is what happens to the goods, not how the customer is settled: the
    line keeps its resolution and is credited, replaced or repaired as before.
    A unit at a vendor is no longer here to be scrapped or sent back as it
    is, and a unit scrapped or sent back cannot go to a vendor.
    """

    _inherit = 'aftersales.rma.line'

    vendor_move_ids = fields.One2many(
        'stock.move', 'aftersales_vendor_line_id', string="Moves to Vendor",
    )
    qty_to_vendor = fields.Float(
        string="Sent to Vendor", digits='Product Unit', compute='_compute_qty_to_vendor',
        store=True, help="Received goods on their way back to a vendor, or gone back.",
    )

    @api.depends('lot_id')
    def _compute_supplier_id(self):
        return super()._compute_supplier_id()

    @api.depends('vendor_move_ids.state', 'vendor_move_ids.quantity',
                 'vendor_move_ids.product_uom_qty', 'vendor_move_ids.product_uom')
    def _compute_qty_to_vendor(self):
        for line in self:
            qty = 0.0
            for move in line.vendor_move_ids.filtered(lambda m: m.state != 'cancel'):
                moved = move.quantity if move.state == 'done' else move.product_uom_qty
                qty += move.product_uom._compute_quantity(
                    moved, line.product_uom_id, rounding_method='HALF-UP',
                )
            line.qty_to_vendor = qty

    # Business methods

    def _get_default_suppliers(self):
        """A serial/lot bought from a vendor came from that vendor, whoever
        the product's main vendor is: the latest purchase receipt of the lot wins."""
        defaults = super()._get_default_suppliers()
        lines = self.filtered('lot_id')
        if not lines:
            return defaults
        # Only the vendor is read, to propose it: a returns agent needs no
        # purchase or stock rights for that.
        move_lines = self.env['stock.move.line'].sudo().search([
            ('lot_id', 'in', lines.lot_id.ids), ('state', '=', 'done'),
            ('move_id.purchase_line_id', '!=', False), ('location_id.usage', '=', 'supplier'),
        ], order='date desc, id desc')
        vendors = {}
        for move_line in move_lines:
            vendors.setdefault(move_line.lot_id.id, move_line.move_id.purchase_line_id.order_id.partner_id)
        for line in lines:
            if line.lot_id.id in vendors:
                defaults[line] = vendors[line.lot_id.id].sudo(False)
        return defaults

    def _check_writable(self, vals):
        super()._check_writable(vals)
        if vals.get('resolution') not in ('return', 'scrap'):
            return
        at_vendor = self.filtered(lambda line: not line.product_uom_id.is_zero(line.qty_to_vendor))
        if at_vendor:
            line = at_vendor[0]
            raise UserError(self.env._(
                "%(qty)s %(uom)s of %(product)s on %(rma)s went back to a vendor: they can no "
                "longer be sent back as they are or scrapped.",
                qty=line.product_uom_id.round(line.qty_to_vendor), uom=line.product_uom_id.name,
                product=line.product_id.display_name, rma=line.rma_id.name,
            ))

    def _get_qty_waiting(self):
        qty = super()._get_qty_waiting()
        if self.resolution in ('return', 'scrap'):
            # Goods at a vendor are not here to send back or scrap.
            qty = max(0.0, self.product_uom_id.round(qty - self.qty_to_vendor))
        return qty

    def _get_qty_sent_back(self):
        """Received goods that went back to the customer as the very goods:
        sent back as they are, or repaired. A replace line's deliveries are
        other units, from stock."""
        self.ensure_one()
        if self.resolution == 'replace':
            return 0.0
        return self.qty_delivered + self.qty_outgoing

    def _get_qty_for_vendor(self):
        """Received goods still with us that may go back to a vendor."""
        self.ensure_one()
        if self.resolution not in VENDOR_RESOLUTIONS:
            return 0.0
        kept = self.qty_received - self.qty_scrapped - self._get_qty_sent_back() - self.qty_to_vendor
        return max(0.0, self.product_uom_id.round(kept))

    def _check_vendor_returnable(self, quantities):
        """Refuse what may not go to a vendor: a line of another resolution,
        no quantity, or more than the line keeps, naming the product."""
        for line in self:
            uom, qty = line.product_uom_id, quantities[line]
            if line.resolution not in VENDOR_RESOLUTIONS:
                raise UserError(self.env._(
                    "%(product)s on %(rma)s is settled as %(resolution)s: its goods go back to "
                    "the customer or are scrapped, not to a vendor.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                    resolution=line._resolution_label(),
                ))
            if uom.compare(qty, 0.0) <= 0:
                raise UserError(self.env._(
                    "%(product)s on %(rma)s: give a quantity above zero to send back to the vendor.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                ))
            maximum = line._get_qty_for_vendor()
            if uom.compare(qty, maximum) > 0:
                raise UserError(self.env._(
                    "%(product)s: at most %(max)s %(uom)s received on %(rma)s can still go back "
                    "to a vendor (%(asked)s asked).",
                    product=line.product_id.display_name, max=uom.round(maximum), uom=uom.name,
                    rma=line.rma_id.name, asked=uom.round(qty),
                ))

    def _allocate_vendor_receipts(self, quantities):
        """``[(line, receipt move, quantity in the line's unit)]``: for each line,
        the purchase receipt its goods go back on.

        That is the latest done receipt from a vendor of the line's product
        (that brought its serial/lot, when it names one) with enough not
        returned yet; receipts from the line's supplier come first. One search
        for all lines; a line without such a receipt is refused by product.
        """
        moves = self.env['stock.move'].search([
            ('product_id', 'in', self.product_id.ids), ('state', '=', 'done'),
            ('purchase_line_id', '!=', False), ('location_id.usage', '=', 'supplier'),
            ('origin_returned_move_id', '=', False), ('company_id', 'in', self.company_id.ids),
        ], order='date desc, id desc')
        remaining = moves._aftersales_qty_not_returned(self.lot_id)
        no_lot = self.env['stock.lot']
        allocations = []
        for line in self:
            qty = line.product_uom_id._compute_quantity(quantities[line], line.product_id.uom_id)
            supplier = line.supplier_id.commercial_partner_id
            candidates = moves.filtered(
                lambda m, line=line: m.product_id == line.product_id and m.company_id == line.company_id
            ).sorted(lambda m, supplier=supplier: not supplier
                     or m.purchase_line_id.order_id.partner_id.commercial_partner_id != supplier)
            keys = [no_lot, line.lot_id] if line.lot_id else [no_lot]
            move = next((
                m for m in candidates
                if all(line.product_id.uom_id.compare(remaining[m, key], qty) >= 0 for key in keys)
            ), None)
            if not move:
                raise UserError(self.env._(
                    "%(product)s%(lot)s on %(rma)s: no receipt from a vendor still holds %(qty)s "
                    "%(uom)s to return; send the goods back with a transfer of your own.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                    lot=f" ({line.lot_id.name})" if line.lot_id else "",
                    qty=line.product_uom_id.round(quantities[line]), uom=line.product_uom_id.name,
                ))
            for key in keys:
                remaining[move, key] -= qty
            allocations.append((line, move, quantities[line]))
        return allocations

    def _prepare_vendor_return_line_vals(self, move, qty):
        """A line of stock's return wizard sending ``qty`` (in the line's unit)
        back on receipt ``move``; "to refund", so that the order's received
        quantity drops and its invoicing credits it."""
        self.ensure_one()
        return {
            'product_id': self.product_id.id,
            'move_id': move.id,
            'quantity': self.product_uom_id._compute_quantity(qty, move.product_uom),
            'to_refund': True,
            'aftersales_vendor_line_id': self.id,
        }
