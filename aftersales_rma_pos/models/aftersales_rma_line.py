from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import ValidationError


class AftersalesRmaLine(models.Model):
    """A return line of goods sold at the till: what it can ask back, and the
    delivery of the till it is received against."""

    _inherit = 'aftersales.rma.line'

    pos_order_line_id = fields.Many2one(index='btree_not_null')
    pos_refund_line_ids = fields.One2many(
        'pos.order.line', 'aftersales_rma_line_id', string="Refund Order Lines",
        groups='point_of_sale.group_pos_user',
    )

    # Compute methods

    @api.depends('pos_order_line_id')
    def _compute_price(self):  # pylint: disable=missing-return
        super()._compute_price()
        from_pos = self.filtered(
            lambda line: line.pos_order_line_id and not (line.invoice_line_id or line.sale_line_id)
        )
        for line in from_pos:
            # sudo: the till's price is the return's value, whoever makes it.
            pos_line = line.pos_order_line_id.sudo()
            line.price_unit = pos_line.price_unit
            line.discount = pos_line.discount

    @api.depends('pos_refund_line_ids.qty', 'pos_refund_line_ids.order_id.state')
    def _compute_qty_credited(self):  # pylint: disable=missing-return
        """A refund order credits the return line it was made for: while it is
        a draft, waiting for the till, as a draft credit note; once paid, as a
        posted one. A cancelled refund order credits nothing."""
        super()._compute_qty_credited()
        for line in self:
            posted = draft = 0.0
            for refund_line in line.sudo().pos_refund_line_ids:
                state = refund_line.order_id.state
                if state == 'cancel':
                    continue
                qty = refund_line.product_uom_id._compute_quantity(-refund_line.qty, line.product_uom_id)
                if state == 'draft':
                    draft += qty
                else:
                    posted += qty
            line.qty_credited += posted
            line.qty_credit_draft += draft

    # Constraints

    @api.constrains('pos_order_line_id', 'product_id', 'sale_line_id', 'invoice_line_id')
    def _check_pos_order_line(self):
        for line in self.filtered('pos_order_line_id'):
            # sudo: the till receipt is read to check the line, not shown.
            pos_line = line.pos_order_line_id.sudo()
            order = pos_line.order_id
            customer = order.partner_id.commercial_partner_id
            if line.sale_line_id or line.invoice_line_id:
                raise ValidationError(self.env._(
                    "%(product)s on %(rma)s comes from the till receipt %(order)s: it names no "
                    "order or invoice line as well.",
                    product=line.product_id.display_name, rma=line.rma_id.name, order=order.name,
                ))
            if pos_line.product_id != line.product_id or order.is_refund \
                    or order.state not in ('paid', 'done') or pos_line.qty <= 0 \
                    or (customer and customer != line.rma_id.commercial_partner_id):
                raise ValidationError(self.env._(
                    "%(order)s is not a paid sale of %(product)s to %(customer)s at the point of sale.",
                    order=order.name, product=line.product_id.display_name,
                    customer=line.rma_id.commercial_partner_id.display_name,
                ))

    # Business methods

    def _check_returnable(self, lock=False, with_drafts=True):
        """Goods sold at the till: at most what the line sold, less what the
        till refunded and what other returns hold. The till's lines are locked
        first, as order lines are."""
        super()._check_returnable(lock=lock, with_drafts=with_drafts)
        pos_lines = self.filtered('pos_order_line_id')
        if not pos_lines:
            return
        sold_lines = self.env['pos.order.line'].browse(pos_lines.pos_order_line_id.ids)
        if lock:
            lock_rows(sold_lines, touch=True)
        # sudo: what other returns and refund orders took is counted, not shown.
        returnable = sold_lines.sudo()._aftersales_returnable_qty(exclude=self, with_drafts=with_drafts)
        excess = pos_returnable_excess(pos_lines, returnable)
        if excess:
            sold_line, asked, maximum = excess
            uom = sold_line.product_uom_id
            raise ValidationError(self.env._(
                "%(product)s: at most %(max)s %(uom)s can still be returned from "
                "%(document)s (%(asked)s asked).",
                product=sold_line.product_id.display_name, max=uom.round(maximum), uom=uom.name,
                document=sold_line.sudo().order_id.name, asked=uom.round(asked),
            ))

    def _check_lots_delivered(self):  # pylint: disable=missing-return
        """A serial or lot sold at the till is one of the receipt line's pack lots."""
        pos_lines = self.filtered(lambda line: line.lot_id and line.pos_order_line_id)
        super(AftersalesRmaLine, self - pos_lines)._check_lots_delivered()
        sold = pos_lines.pos_order_line_id._aftersales_sold_lots()
        wrong = pos_lines.filtered(lambda line: line.lot_id not in sold[line.pos_order_line_id])
        if wrong:
            raise ValidationError(self.env._(
                "%(rma)s: serial/lot %(lots)s was not sold on %(order)s.",
                rma=wrong[0].rma_id.name, lots=", ".join(wrong.lot_id.mapped('name')),
                order=wrong[0].pos_order_line_id.sudo().order_id.name,
            ))

    def _allocate_origin_moves(self):
        """Goods sold at the till go back against the till's own delivery."""
        pos_lines = self.filtered('pos_order_line_id')
        allocations, unmatched = super(AftersalesRmaLine, self - pos_lines)._allocate_origin_moves()
        pos_allocations, pos_unmatched = pos_lines._allocate_pos_moves()
        return allocations + pos_allocations, unmatched | pos_unmatched

    def _allocate_pos_moves(self):
        """Match lines to the delivery of their till receipt, as
        ``_allocate_origin_moves`` does for orders.

        A receipt's delivery moves a product, not a receipt line: lines of the
        same product share its moves, each for what was not returned from it
        yet. Receipts whose stock moved when the session closed have no
        delivery of their own: their lines come in on a receipt of the
        warehouse. One search for all lines.
        """
        if not self:
            return [], self.browse()
        moves = self.env['stock.move'].search([
            ('picking_id.pos_order_id', 'in', self.pos_order_line_id.order_id.ids),
            ('state', '=', 'done'), ('location_dest_id.usage', '=', 'customer'),
            ('origin_returned_move_id', '=', False),
        ], order='date desc, id desc')
        remaining = {move: move.quantity for move in moves}
        for move, state, uom, done, planned in self.env['stock.move']._read_group(
            [('origin_returned_move_id', 'in', moves.ids), ('state', '!=', 'cancel')],
            ['origin_returned_move_id', 'state', 'product_uom'],
            ['quantity:sum', 'product_uom_qty:sum'],
        ):
            remaining[move] -= uom._compute_quantity(done if state == 'done' else planned, move.product_uom)
        lots_by_move = defaultdict(lambda: self.env['stock.lot'])
        for move, lot in self.env['stock.move.line']._read_group(
            [('move_id', 'in', moves.ids), ('lot_id', '!=', False)], ['move_id', 'lot_id'],
        ):
            lots_by_move[move] |= lot
        moves_by_key = moves.grouped(lambda m: (m.picking_id.pos_order_id, m.product_id))
        allocations, unmatched = [], self.browse()
        for line in self:
            candidates = moves_by_key.get((line.pos_order_line_id.order_id, line.product_id), moves.browse())
            if line.lot_id:
                candidates = candidates.filtered(lambda m, lot=line.lot_id: lot in lots_by_move[m])
            to_allocate = line.product_uom_qty
            for move in candidates:
                if line.product_uom_id.is_zero(to_allocate):
                    break
                available = move.product_uom._compute_quantity(remaining[move], line.product_uom_id)
                qty = min(available, to_allocate)
                if line.product_uom_id.compare(qty, 0.0) > 0:
                    allocations.append((line, move, qty))
                    remaining[move] -= line.product_uom_id._compute_quantity(qty, move.product_uom)
                    to_allocate -= qty
            if line.product_uom_id.compare(to_allocate, line.product_uom_qty) == 0:
                unmatched |= line
        return allocations, unmatched


def pos_returnable_excess(lines, returnable):
    """``(sold line, asked, maximum)`` for the first till receipt line that
    ``lines`` (return or wizard lines) ask more of than it can still give back,
    in the product's unit; None when none does."""
    for sold_line, group in lines.filtered('pos_order_line_id').grouped('pos_order_line_id').items():
        uom = sold_line.product_uom_id
        asked = sum(
            line.product_uom_id._compute_quantity(line.product_uom_qty, uom, round=False)
            for line in group
        )
        maximum = max(0.0, returnable.get(sold_line, 0.0))
        if uom.compare(asked, maximum) > 0:
            return sold_line, asked, maximum
    return None
