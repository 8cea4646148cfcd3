from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import UserError, ValidationError


class StockMove(models.Model):
    _inherit = 'stock.move'

    aftersales_rma_line_id = fields.Many2one(
        'aftersales.rma.line', string="Return Line", index='btree_not_null', copy=False,
        readonly=True,
    )

    def _aftersales_rma_direction(self):
        """'received', 'delivered' or 'scrapped' for a move of a return line."""
        self.ensure_one()
        if self.scrap_id:
            return 'scrapped'
        if self.location_id.usage == 'customer' and self.location_dest_id.usage != 'customer':
            return 'received'
        if self.location_dest_id.usage == 'customer':
            return 'delivered'
        return None

    def _aftersales_set_returned_lot(self):
        """Pre-fill the serial/lot the return line names, for the warehouse to check."""
        for move in self:
            move.lot_ids = move.aftersales_rma_line_id.lot_id

    def _prepare_move_split_vals(self, qty):
        vals = super()._prepare_move_split_vals(qty)
        # The link is copy=False (a duplicated transfer is not the return's),
        # but what stock splits off for a backorder is still expected by it.
        if self.aftersales_rma_line_id:
            vals['aftersales_rma_line_id'] = self.aftersales_rma_line_id.id
        return vals

    @api.constrains('aftersales_rma_line_id', 'product_id', 'company_id', 'partner_id', 'picking_id')
    def _check_aftersales_rma_line(self):
        """A return line counts the moves linked to it as its goods: only its
        own product (or replacement), of its company, to or from its customer."""
        for move in self.filtered('aftersales_rma_line_id'):
            if not move._aftersales_matches_rma_line():
                line = move.aftersales_rma_line_id
                raise ValidationError(self.env._(
                    "%(move)s is not a transfer of %(product)s for %(customer)s: it cannot count "
                    "for return %(rma)s.",
                    move=move.reference or move.display_name, product=line.product_id.display_name,
                    customer=line.rma_id.commercial_partner_id.display_name, rma=line.rma_id.name,
                ))

    def _aftersales_matches_rma_line(self):
        self.ensure_one()
        line = self.aftersales_rma_line_id
        rma = line.rma_id
        if self.product_id not in line.product_id | line.replacement_product_id \
                or self.company_id != line.company_id:
            return False
        partner = self.picking_id.partner_id or self.partner_id
        # The return of the order line's delivery may go to an address of
        # another entity (the order shipped there); the order line vouches for it.
        return not partner or partner.commercial_partner_id == rma.commercial_partner_id \
            or partner == rma.partner_shipping_id \
            or (line.sale_line_id and self.sale_line_id == line.sale_line_id)

    def _prepare_merge_moves_distinct_fields(self):
        # Each return line counts its own moves: two lines returned from the
        # same delivery move (two serials of one order line) must not be
        # merged into one move that only one of them would count.
        return [*super()._prepare_merge_moves_distinct_fields(), 'aftersales_rma_line_id']

    def _action_done(self, cancel_backorder=False):
        rma_moves = self.filtered('aftersales_rma_line_id')
        rma_moves._aftersales_check_receipt()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # sudo: the warehouse validates receipts without rights on returns; the
        # picking's own checks already ran.
        rmas = (moves | rma_moves).aftersales_rma_line_id.rma_id.sudo()
        rmas._update_progress()
        rmas._notify_received()
        return moves

    def _action_cancel(self):
        result = super()._action_cancel()
        self.aftersales_rma_line_id.rma_id.sudo()._update_progress()
        return result

    def _aftersales_check_receipt(self):
        """Refuse receiving more than authorised, or another serial than returned."""
        incoming = self.filtered(lambda m: m._aftersales_rma_direction() == 'received')
        # Locked and touched: two receipts of the same line (backorders)
        # validated at once must not both fit in what is authorised.
        lock_rows(incoming.aftersales_rma_line_id, touch=True)
        for line, moves in incoming.grouped('aftersales_rma_line_id').items():
            uom = line.product_uom_id
            arriving = sum(
                move.product_uom._compute_quantity(move.quantity, uom) for move in moves
            )
            if uom.compare(line.qty_received + arriving, line.product_uom_qty) > 0:
                raise UserError(self.env._(
                    "%(product)s: return %(rma)s authorises %(qty)s %(uom)s, and %(received)s "
                    "were already received; receive the rest on another return.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                    qty=line.product_uom_qty, uom=uom.name, received=line.qty_received,
                ))
            wrong = moves.move_line_ids.filtered(
                lambda ml, lot=line.lot_id: lot and ml.quantity and ml.lot_id != lot
            )
            if wrong:
                raise UserError(self.env._(
                    "Return %(rma)s expects serial/lot %(lot)s of %(product)s, not %(received)s.",
                    rma=line.rma_id.name, lot=line.lot_id.name,
                    product=line.product_id.display_name,
                    received=", ".join(wrong.lot_id.mapped('name')) or self.env._("none"),
                ))
