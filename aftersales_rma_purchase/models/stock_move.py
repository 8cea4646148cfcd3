from collections import defaultdict

from odoo import fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = 'stock.move'

    aftersales_vendor_line_id = fields.Many2one(
        'aftersales.rma.line', string="Return Line Sent to Vendor", index='btree_not_null',
        copy=False, readonly=True,
        help="The return line whose goods this move takes back to the vendor.",
    )

    def _prepare_move_split_vals(self, qty):
        vals = super()._prepare_move_split_vals(qty)
        # The link is copy=False (a duplicated transfer is not the return's),
        # but what stock splits off for a backorder still goes to the vendor for it.
        if self.aftersales_vendor_line_id:
            vals['aftersales_vendor_line_id'] = self.aftersales_vendor_line_id.id
        return vals

    def _action_done(self, cancel_backorder=False):
        self.filtered('aftersales_vendor_line_id')._aftersales_check_vendor_return()
        return super()._action_done(cancel_backorder=cancel_backorder)

    # Business methods

    def _aftersales_check_vendor_return(self):
        """Refuse sending a vendor more than the return kept, or another serial.

        The warehouse may change the quantities and serials of the transfer;
        what leaves must still be the goods received from the customer and
        not scrapped, sent back, or already taken to a vendor.
        """
        # Locked and touched: two vendor returns of the same line validated
        # at once must not both fit in what the return kept.
        lock_rows(self.aftersales_vendor_line_id, touch=True)
        for line, moves in self.grouped('aftersales_vendor_line_id').items():
            uom = line.product_uom_id
            leaving = sum(move.product_uom._compute_quantity(move.quantity, uom) for move in moves)
            gone = sum(
                move.product_uom._compute_quantity(move.quantity, uom)
                for move in line.vendor_move_ids.filtered(lambda m: m.state == 'done')
            )
            kept = line.qty_received - line.qty_scrapped - line._get_qty_sent_back()
            if uom.compare(gone + leaving, kept) > 0:
                raise UserError(self.env._(
                    "%(product)s: return %(rma)s kept %(kept)s %(uom)s, and %(gone)s went to a "
                    "vendor already; %(leaving)s cannot leave as well.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                    kept=uom.round(kept), uom=uom.name, gone=uom.round(gone),
                    leaving=uom.round(leaving),
                ))
            wrong = moves.move_line_ids.filtered(
                lambda ml, lot=line.lot_id: lot and ml.quantity and ml.lot_id != lot
            )
            if wrong:
                raise UserError(self.env._(
                    "Return %(rma)s sends serial/lot %(lot)s of %(product)s back to the vendor, "
                    "not %(other)s.",
                    rma=line.rma_id.name, lot=line.lot_id.name,
                    product=line.product_id.display_name,
                    other=", ".join(wrong.lot_id.mapped('name')) or self.env._("none"),
                ))

    def _aftersales_qty_not_returned(self, lots):
        """``{(receipt move, lot): quantity in the product's unit not returned yet}``.

        The key with an empty lot holds the whole move; the keys with one of
        ``lots`` what the move brought of that lot. Returns done count what
        they moved, open ones what they ask for (their serials once set).
        """
        no_lot = self.env['stock.lot']
        remaining = defaultdict(float)
        for move in self:
            remaining[move, no_lot] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id,
            )
        for move, state, uom, done, asked in self._read_group(
            [('origin_returned_move_id', 'in', self.ids), ('state', '!=', 'cancel')],
            ['origin_returned_move_id', 'state', 'product_uom'], ['quantity:sum', 'product_uom_qty:sum'],
        ):
            qty = done if state == 'done' else asked
            remaining[move, no_lot] -= uom._compute_quantity(qty, move.product_id.uom_id)
        if lots:
            MoveLine = self.env['stock.move.line']
            for move, lot, qty in MoveLine._read_group(
                [('move_id', 'in', self.ids), ('lot_id', 'in', lots.ids)],
                ['move_id', 'lot_id'], ['quantity_product_uom:sum'],
            ):
                remaining[move, lot] += qty
            for move, lot, qty in MoveLine._read_group(
                [('move_id.origin_returned_move_id', 'in', self.ids),
                 ('move_id.state', '!=', 'cancel'), ('lot_id', 'in', lots.ids)],
                ['move_id.origin_returned_move_id', 'lot_id'], ['quantity_product_uom:sum'],
            ):
                remaining[move, lot] -= qty
        return remaining

    def _aftersales_vendor_credit(self, credit_notes):
        """Vendor credit notes, by the purchase orders' own invoicing, for what
        these vendor returns took back and ``credit_notes`` (those made for the
        same document before) do not credit yet.

        A done return "to refund" lowers the order line's received quantity;
        once that was billed, the line's quantity to bill is negative and the
        order's invoicing makes a refund of it. Each order line is credited at
        most that much: what came back before being billed is not credited,
        the order simply bills less. The order lines are locked first, so
        that two credits at once cannot both take the same quantity.
        """
        returned = defaultdict(float)
        for move in self.filtered(lambda m: m.state == 'done' and m.to_refund and m.purchase_line_id):
            order_line = move.purchase_line_id
            returned[order_line] += move.product_uom._compute_quantity(
                move.quantity, order_line.product_uom_id,
            )
        order_lines = self.env['purchase.order.line'].browse([line.id for line in returned])
        lock_rows(order_lines, touch=True)
        for credit_line in credit_notes.filtered(lambda m: m.state != 'cancel').invoice_line_ids:
            order_line = credit_line.purchase_line_id
            if order_line in order_lines:
                sign = 1 if credit_line.move_id.move_type == 'in_refund' else -1
                returned[order_line] -= sign * credit_line.product_uom_id._compute_quantity(
                    credit_line.quantity, order_line.product_uom_id,
                )
        to_credit = {}
        for order_line in order_lines:
            qty = min(returned[order_line], -order_line.qty_to_invoice)
            if order_line.product_uom_id.compare(qty, 0.0) > 0:
                to_credit[order_line] = order_line.product_uom_id.round(qty)
        if not to_credit:
            return self.env['account.move']
        return order_lines.order_id._aftersales_create_vendor_credit(to_credit)
