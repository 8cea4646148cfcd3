from odoo import models


class PurchaseOrderLine(models.Model):
    _inherit = 'purchase.order.line'

    def _prepare_account_move_line(self, move=False):
        vals = super()._prepare_account_move_line(move)
        to_credit = self.env.context.get('aftersales_vendor_credit')
        if to_credit is not None and not self.display_type:
            # A vendor return's credit note takes what it sent back, at most
            # what the line has to credit, and nothing of the order's other lines.
            qty = to_credit.get(self.id, 0.0)
            vals['quantity'] = qty if move and move.move_type == 'in_refund' else -qty
        return vals
