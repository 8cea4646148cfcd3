from odoo import fields, models


class AftersalesRmaLineMixin(models.AbstractModel):
    """A line may come from a cash sale: a line of a point of sale order."""

    _inherit = 'aftersales.rma.line.mixin'

    pos_order_line_id = fields.Many2one(
        'pos.order.line', string="POS Order Line", check_company=True,
        domain="[('order_id.state', 'in', ('paid', 'done')), ('order_id.is_refund', '=', False), "
               "('qty', '>', 0), ('product_id', '=', product_id), "
               "'|', ('order_id.partner_id', '=', False), "
               "('order_id.partner_id', 'child_of', commercial_partner_id)]",
        help="The line of the till receipt the goods were sold on.",
    )
