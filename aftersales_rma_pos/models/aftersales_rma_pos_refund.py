from odoo import models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import AccessError, UserError


class AftersalesRmaLine(models.Model):
    """Goods sold at the till are refunded the way the till refunds: by a
    refund order of their receipt, paid in a session of its point of sale."""

    _inherit = 'aftersales.rma.line'

    def _refund_through_reversal(self):
        # Lines of a till receipt have no invoice line to reverse: their
        # refund is a refund order (with its own credit note when the receipt
        # was invoiced).
        pos_lines = self.filtered('pos_order_line_id')
        pos_lines._refund_through_pos()
        return super(AftersalesRmaLine, self - pos_lines)._refund_through_reversal()

    def _refund_through_pos(self):
        """Make core's refund order (``pos.order._refund``) of each receipt, for
        the returned lines and received quantities only.

        The user makes it with their own point of sale rights; a cashier pays
        it in an open session, and a refund order of an invoiced receipt is
        invoiced as it is paid. Its lines name the return lines: a draft
        credit until paid, a posted one after. They move no goods: the
        return's receipt brought them back. The receipt's lines are locked and
        re-checked first, so a refund made at the till meanwhile is counted.
        """
        refunds = self.env['pos.order']
        if not self:
            return refunds
        self._check_pos_refund_access()
        for order, lines in self.grouped(lambda line: line.pos_order_line_id.order_id).items():
            sold_lines = self.env['pos.order.line'].browse(lines.pos_order_line_id.ids)
            lock_rows(sold_lines, touch=True)
            shares = lines._get_pos_refund_shares()
            lines._check_pos_refundable(sold_lines, shares)
            refund = order.sudo(False).with_context(
                aftersales_rma_refund=shares, aftersales_rma_refund_rma_id=lines.rma_id.id,
            )._refund()
            refund._aftersales_complete_return_refund(shares)
            refunds |= refund
        return refunds

    def _check_pos_refund_access(self):
        if not self.env.user.has_group('point_of_sale.group_pos_user'):
            raise AccessError(self.env._(
                "%(rmas)s: goods sold at the till are refunded by a refund order of the point "
                "of sale; only point of sale users make it.",
                rmas=", ".join(self.rma_id.mapped('name')),
            ))

    def _get_pos_refund_shares(self):
        """``((sold line id, return line id, quantity in the product's unit,
        serial/lot name), ...)``: what each line's refund order line refunds."""
        return tuple(
            (line.pos_order_line_id.id, line.id,
             line.product_uom_id._compute_quantity(line.qty_to_credit, line.product_id.uom_id),
             line.lot_id.name or '')
            for line in self
        )

    def _check_pos_refundable(self, sold_lines, shares):
        """Money: a refund order never refunds more than the receipt line sold
        less what was refunded already, at the till or by returns."""
        refunded = sold_lines._aftersales_refunded_qty()
        for sold_line in sold_lines:
            uom = sold_line.product_uom_id
            asked = sum(qty for sold_id, _line_id, qty, _lot in shares if sold_id == sold_line.id)
            left = sold_line.qty - refunded[sold_line]
            if uom.compare(asked, left) > 0:
                raise UserError(self.env._(
                    "%(product)s: only %(left)s %(uom)s of %(order)s are left to refund "
                    "(%(asked)s asked); the till refunded the rest already.",
                    product=sold_line.product_id.display_name, left=uom.round(max(0.0, left)),
                    uom=uom.name, order=sold_line.order_id.name, asked=uom.round(asked),
                ))
