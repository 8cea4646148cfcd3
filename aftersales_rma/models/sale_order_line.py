from collections import defaultdict

from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = 'sale.order.line'

    aftersales_rma_line_ids = fields.One2many(
        'aftersales.rma.line', 'sale_line_id', string="Return Lines",
        groups='aftersales_case.aftersales_group_user,account.group_account_invoice,'
               'stock.group_stock_user',
    )

    @api.depends('move_ids.to_refund')
    def _compute_qty_delivered(self):
        # A return's receipt lowers the delivered quantity only when it is
        # "to refund"; a return line changing its resolution changes that.
        return super()._compute_qty_delivered()

    def _aftersales_returnable_qty(self, exclude=None, with_drafts=True):
        """``{line: quantity that can still be returned, in the line's unit}``.

        What was delivered to the customer, less what came back from them,
        less what open returns (other than ``exclude``) still ask for. One
        grouped query for the moves and one for the returns, whatever the
        number of lines.
        """
        delivered = defaultdict(float)
        moves = self.env['stock.move'].sudo()._read_group(
            [('sale_line_id', 'in', self.ids), ('state', '=', 'done'),
             '|', ('location_dest_id.usage', '=', 'customer'),
             ('location_id.usage', '=', 'customer')],
            ['sale_line_id', 'product_uom', 'location_dest_id.usage'],
            ['quantity:sum'],
        )
        for line, uom, dest_usage, quantity in moves:
            qty = uom._compute_quantity(quantity, line.product_uom_id, rounding_method='HALF-UP')
            delivered[line] += qty if dest_usage == 'customer' else -qty
        for line, asked in self._aftersales_open_return_qty(exclude, with_drafts).items():
            delivered[line] -= asked
        return delivered

    def _aftersales_open_return_qty(self, exclude=None, with_drafts=True):
        """``{line: quantity open returns still expect}`` (asked, less received)."""
        open_qty = defaultdict(float)
        states = ('draft', 'approved', 'receiving') if with_drafts else ('approved', 'receiving')
        domain = [('sale_line_id', 'in', self.ids), ('state', 'in', states)]
        if exclude:
            domain.append(('id', 'not in', exclude.ids))
        groups = self.env['aftersales.rma.line'].sudo()._read_group(
            domain, ['sale_line_id', 'product_uom_id'],
            ['product_uom_qty:sum', 'qty_received:sum', 'qty_incoming:sum'],
        )
        for line, uom, asked, received, _incoming in groups:
            open_qty[line] += uom._compute_quantity(max(0.0, asked - received), line.product_uom_id)
        return open_qty

    def _aftersales_delivered_lots(self):
        """``{line: lots delivered to the customer and not returned}``."""
        lots = defaultdict(lambda: self.env['stock.lot'])
        groups = self.env['stock.move.line'].sudo()._read_group(
            [('move_id.sale_line_id', 'in', self.ids), ('state', '=', 'done'),
             ('lot_id', '!=', False),
             '|', ('location_dest_id.usage', '=', 'customer'),
             ('location_id.usage', '=', 'customer')],
            ['move_id', 'lot_id', 'location_dest_id.usage'], ['quantity:sum'],
        )
        balance = defaultdict(float)
        for move, lot, dest_usage, quantity in groups:
            balance[move.sale_line_id, lot] += quantity if dest_usage == 'customer' else -quantity
        for (line, lot), quantity in balance.items():
            if quantity > 0:
                lots[line] |= lot
        return lots

    def _prepare_invoice_line(self, **optional_values):
        vals = super()._prepare_invoice_line(**optional_values)
        # The order's invoicing crediting a return: a line credited for one
        # return line knows it from its creation, with no second write of the
        # credit note (each write re-syncs its taxes and totals).
        rma_line_id = dict(self.env.context.get('aftersales_rma_line_by_sale_line', ())).get(self.id)
        if rma_line_id:
            vals['aftersales_rma_line_id'] = rma_line_id
        return vals
