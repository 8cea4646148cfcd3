from collections import defaultdict

from odoo import Command, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.addons.aftersales_rma.models.aftersales_rma import OPEN_STATES
from odoo.exceptions import UserError

# Returns whose goods came back: they hold what they received.
CLOSED_STATES = ('received', 'done')


class PosOrderLine(models.Model):
    _inherit = 'pos.order.line'

    aftersales_rma_line_id = fields.Many2one(
        'aftersales.rma.line', string="Return Line", index='btree_not_null', copy=False,
        readonly=True, help="On a refund order: the return line whose received goods this line refunds.",
    )
    aftersales_rma_line_ids = fields.One2many(
        'aftersales.rma.line', 'pos_order_line_id', string="Return Lines",
    )

    # Business methods

    def _prepare_refund_data(self, refund_order, PosPackOperationLot):
        """A return's refund order refunds its lines' received quantities only.

        Core refunds every line of the receipt in full; within a return's
        refund (``aftersales_rma_refund``: ``(sold line id, return line id,
        quantity, serial/lot name)`` tuples) a line refunds the first return
        line's share of it, with its serial, and the lines the return does not
        name refund nothing (they are removed once the order is made). The
        other shares of a line are added by ``_aftersales_prepare_share_vals``.
        """
        vals = super()._prepare_refund_data(refund_order, PosPackOperationLot)
        shares = self.env.context.get('aftersales_rma_refund')
        if shares is None:
            return vals
        share = next((share for share in shares if share[0] == self.id), None)
        # Core copied every pack lot of the sold line for the refund line: the
        # copies not kept would stay on the sold line.
        kept = PosPackOperationLot.filtered(lambda pack: share and pack.lot_name == share[3])[:1]
        (PosPackOperationLot - kept).unlink()
        vals.update(pack_lot_ids=kept, qty=-share[2] if share else 0.0,
                    aftersales_rma_line_id=share[1] if share else False)
        return vals

    def _aftersales_prepare_share_vals(self, share):
        """Values of another refund line of this one's sold line, for ``share``
        (see ``_prepare_refund_data``): one return line per serial."""
        self.ensure_one()
        _sold_line_id, rma_line_id, qty, lot_name = share
        return {
            'order_id': self.order_id.id,
            'qty': -qty,
            'aftersales_rma_line_id': rma_line_id,
            'refunded_orderline_id': self.refunded_orderline_id.id,
            'pack_lot_ids': [Command.create({'lot_name': lot_name})] if lot_name else [],
        }

    def _aftersales_check_refunds(self):
        """A unit sold at the till is refunded once: at the till or by a return.

        Run on the lines of refund orders being paid. What the till refunds
        (paid refund orders no return made) and what approved returns hold
        (asked, or received once they are closed) never exceed what the line
        sold, nor do all paid refunds; a return's refund order only refunds
        what its return received. The sold lines are locked and touched first,
        so that a refund paid at the till and a return approved or refunded
        at the same moment are checked one after the other.
        """
        sold_lines = self.filtered('refunded_orderline_id').refunded_orderline_id
        if not sold_lines:
            return
        lock_rows(sold_lines, touch=True)
        paid = [('order_id.state', 'in', ('paid', 'done'))]
        till = sold_lines._aftersales_refunded_qty([*paid, ('aftersales_rma_line_id', '=', False)])
        held = sold_lines._aftersales_held_qty(with_drafts=False)
        refunded = sold_lines._aftersales_refunded_qty(paid)
        for line in sold_lines:
            uom = line.product_uom_id
            if uom.compare(till[line] + held[line], line.qty) > 0 \
                    or uom.compare(refunded[line], line.qty) > 0:
                raise UserError(self.env._(
                    "%(product)s: %(order)s sold %(sold)s %(uom)s; the till refunded %(refunded)s "
                    "and returns hold %(held)s. Goods on a return are refunded from the return.",
                    product=line.product_id.display_name, order=line.order_id.name,
                    sold=uom.round(line.qty), uom=uom.name, refunded=uom.round(till[line]),
                    held=uom.round(held[line]),
                ))
        # sudo: the till pays the refund order of a return it may not read.
        for rma_line in self.aftersales_rma_line_id.sudo():
            uom = rma_line.product_uom_id
            if uom.compare(rma_line.qty_credited + rma_line.qty_credit_draft, rma_line.qty_received) > 0:
                raise UserError(self.env._(
                    "%(product)s: return %(rma)s received %(received)s %(uom)s; its refund order "
                    "refunds no more.", product=rma_line.product_id.display_name,
                    rma=rma_line.rma_id.name, received=uom.round(rma_line.qty_received), uom=uom.name,
                ))

    def _aftersales_returnable_qty(self, exclude=None, with_drafts=True):
        """``{line: quantity that can still be returned, in the product's unit}``.

        What the line sold, less what was refunded at the till, less what
        returns (other than ``exclude``) hold: asked while they are open,
        received once they are closed. A return's own refund lines are the
        refund of what it holds, not a second claim. Two grouped queries,
        whatever the number of lines.
        """
        returnable = {line: line.qty for line in self}
        for line, qty in self._aftersales_till_refunded_qty().items():
            returnable[line] -= qty
        for line, qty in self._aftersales_held_qty(exclude, with_drafts).items():
            returnable[line] -= qty
        return returnable

    def _aftersales_till_refunded_qty(self):
        """``{line: quantity refunded by refund orders that no return made}``."""
        return self._aftersales_refunded_qty([('aftersales_rma_line_id', '=', False)])

    def _aftersales_refunded_qty(self, domain=None):
        """``{line: quantity refunded}``: by refund orders not cancelled, drafts
        included, as core's ``refunded_qty`` counts it; ``domain`` narrows the
        refund lines counted."""
        refunded = defaultdict(float)
        # sudo: refund orders of any session count, whoever reads them.
        for line, qty in self.env['pos.order.line'].sudo()._read_group(
            [('refunded_orderline_id', 'in', self.ids), ('order_id.state', '!=', 'cancel'),
             *(domain or [])],
            ['refunded_orderline_id'], ['qty:sum'],
        ):
            refunded[line] -= qty
        return refunded

    def _aftersales_held_qty(self, exclude=None, with_drafts=True):
        """``{line: quantity returns hold}``: asked on open returns, received on closed ones."""
        held = defaultdict(float)
        open_states = OPEN_STATES if with_drafts else tuple(s for s in OPEN_STATES if s != 'draft')
        domain = [('pos_order_line_id', 'in', self.ids), ('state', 'in', open_states + CLOSED_STATES)]
        if exclude:
            domain.append(('id', 'not in', exclude.ids))
        # sudo: another team's return holds the goods as well.
        for line, state, uom, asked, received in self.env['aftersales.rma.line'].sudo()._read_group(
            domain, ['pos_order_line_id', 'state', 'product_uom_id'],
            ['product_uom_qty:sum', 'qty_received:sum'],
        ):
            qty = received if state in CLOSED_STATES else asked
            held[line] += uom._compute_quantity(qty, line.product_uom_id)
        return held

    def _aftersales_sold_lots(self):
        """``{line: the serial/lot numbers the till sold on it}`` (its pack lots)."""
        lots = defaultdict(lambda: self.env['stock.lot'])
        # sudo: the pack lots and lots are read to check what was sold, not shown.
        lines = self.sudo().filtered(lambda line: line.product_id.tracking != 'none')
        names = set(lines.pack_lot_ids.mapped('lot_name'))
        if not names:
            return lots
        found = self.env['stock.lot'].sudo().search([
            ('product_id', 'in', lines.product_id.ids), ('name', 'in', list(names)),
            ('company_id', 'in', [*lines.company_id.ids, False]),
        ])
        by_key = {(lot.product_id, lot.name): lot for lot in found}
        for line in lines:
            for name in line.pack_lot_ids.mapped('lot_name'):
                if (line.product_id, name) in by_key:
                    lots[line] |= by_key[line.product_id, name].with_env(self.env)
        return lots

    def _aftersales_free_lots(self):
        """``{line: lots sold, not refunded at the till, and on no return that holds them}``."""
        lots = self._aftersales_sold_lots()
        tracked = self.filtered(lambda line: line in lots)
        if not tracked:
            return lots
        # sudo: refunds of any session and returns of any team take serials back.
        refunds = self.env['pos.order.line'].sudo().search([
            ('refunded_orderline_id', 'in', tracked.ids), ('order_id.state', '!=', 'cancel'),
            ('aftersales_rma_line_id', '=', False),
        ])
        for refund in refunds:
            line = refund.refunded_orderline_id
            names = set(refund.pack_lot_ids.mapped('lot_name'))
            lots[line] = lots[line].filtered(lambda lot, names=names: lot.name not in names)
        for line, lot, state, received in self.env['aftersales.rma.line'].sudo()._read_group(
            [('pos_order_line_id', 'in', tracked.ids), ('lot_id', '!=', False),
             ('state', 'in', OPEN_STATES + CLOSED_STATES)],
            ['pos_order_line_id', 'lot_id', 'state'], ['qty_received:sum'],
        ):
            if state in OPEN_STATES or received:
                lots[line] -= lot
        return lots
