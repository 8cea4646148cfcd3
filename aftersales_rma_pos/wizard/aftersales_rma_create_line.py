from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..models.aftersales_rma_line import pos_returnable_excess


class AftersalesRmaCreateLine(models.TransientModel):
    _inherit = 'aftersales.rma.create.line'

    # Compute methods

    @api.depends('pos_order_line_id')
    def _compute_qty_returnable(self):
        pos_lines = self.filtered(lambda line: line.pos_order_line_id and not line.sale_line_id)
        super(AftersalesRmaCreateLine, self - pos_lines)._compute_qty_returnable()
        if not pos_lines:
            return
        # The receipts are checked against the user's rights: a crafted line
        # must not tell what a receipt the user cannot open sold.
        pos_lines.sudo().pos_order_line_id.order_id.sudo(False).check_access('read')
        # sudo: the receipts were checked just above.
        sold_lines = pos_lines.sudo().pos_order_line_id
        returnable = sold_lines._aftersales_returnable_qty()
        free_lots = sold_lines._aftersales_free_lots()
        for line in pos_lines:
            sold_line = line.pos_order_line_id
            if line.lot_id and line.product_tracking == 'serial':
                qty = line.product_id.uom_id._compute_quantity(
                    1.0 if line.lot_id in free_lots[sold_line] else 0.0, line.product_uom_id,
                )
            else:
                qty = sold_line.product_uom_id._compute_quantity(
                    returnable.get(sold_line, 0.0), line.product_uom_id,
                )
            line.qty_returnable = max(0.0, qty)

    # Business methods

    def _check_serials(self):
        super()._check_serials()
        serial_lines = self.filtered(
            lambda line: line.lot_id and line.product_tracking == 'serial' and line.pos_order_line_id
        )
        if not serial_lines:
            return
        free_lots = serial_lines.pos_order_line_id._aftersales_free_lots()
        for line in serial_lines:
            if line.lot_id not in free_lots[line.pos_order_line_id]:
                raise UserError(self.env._(
                    "%(product)s: serial number %(lot)s was not sold on %(order)s, was refunded "
                    "at the till, or is already on a return.",
                    product=line.product_id.display_name, lot=line.lot_id.name,
                    order=line.pos_order_line_id.order_id.name,
                ))

    def _check_returnable(self):
        super()._check_returnable()
        pos_lines = self.filtered('pos_order_line_id')
        if not pos_lines:
            return
        excess = pos_returnable_excess(pos_lines, pos_lines.pos_order_line_id._aftersales_returnable_qty())
        if excess:
            sold_line, asked, maximum = excess
            uom = sold_line.product_uom_id
            raise UserError(self.env._(
                "%(product)s: at most %(max)s %(uom)s can be returned from %(document)s, "
                "not %(asked)s %(uom)s.",
                product=sold_line.product_id.display_name, uom=uom.name,
                max=formatLang(self.env, maximum, dp='Product Unit'),
                asked=formatLang(self.env, asked, dp='Product Unit'),
                document=sold_line.order_id.name,
            ))

    def _prepare_rma_line_vals(self):
        vals = super()._prepare_rma_line_vals()
        vals['pos_order_line_id'] = self.pos_order_line_id.id
        return vals
