from odoo import api, fields, models

from .aftersales_rma import RESOLUTIONS


class AftersalesRmaLineMixin(models.AbstractModel):
    """What a return line and a line of the return wizard share: the goods,
    where they come from, why and how they are settled.

    An invoice line of an order stands for its order line: a line naming
    only such an invoice line gets the order line too, so that the goods
    are counted against what the order delivered, whichever document the
    return was started from.
    """

    _name = 'aftersales.rma.line.mixin'
    _description = "Return Line Goods"
    _check_company_auto = True

    # Defined by each model: the company and customer the line belongs to.
    company_id = fields.Many2one('res.company')
    commercial_partner_id = fields.Many2one('res.partner')

    product_id = fields.Many2one(
        'product.product', required=True, check_company=True, domain="[('type', '=', 'consu')]",
    )
    product_tracking = fields.Selection(related='product_id.tracking')
    lot_id = fields.Many2one(
        'stock.lot', string="Lot/Serial Number", check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    product_uom_id = fields.Many2one(
        'uom.uom', string="Unit", compute='_compute_product_uom_id', store=True,
        readonly=False, required=True, precompute=True,
    )
    sale_line_id = fields.Many2one(
        'sale.order.line', string="Order Line", check_company=True,
        compute='_compute_sale_line_id', store=True, readonly=False, precompute=True,
        domain="[('order_id.partner_id', 'child_of', commercial_partner_id), "
               "('order_id.state', '=', 'sale'), ('product_id', '=', product_id)]",
    )
    invoice_line_id = fields.Many2one(
        'account.move.line', check_company=True,
        domain="[('move_id.partner_id', 'child_of', commercial_partner_id), "
               "('product_id', '=', product_id), ('move_id.move_type', '=', 'out_invoice'), "
               "('parent_state', '=', 'posted'), ('display_type', '=', 'product')]",
    )
    reason_id = fields.Many2one('aftersales.rma.reason')
    resolution = fields.Selection(
        RESOLUTIONS, required=True, compute='_compute_resolution', store=True,
        readonly=False, precompute=True,
    )

    # Compute methods

    @api.depends('product_id', 'sale_line_id', 'invoice_line_id')
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = (
                line.sale_line_id.product_uom_id or line.invoice_line_id.product_uom_id
                or line.product_id.uom_id
            )

    @api.depends('invoice_line_id')
    def _compute_sale_line_id(self):
        for line in self:
            if not line.sale_line_id:
                line.sale_line_id = line.invoice_line_id._aftersales_sale_line(line.product_id)

    def _compute_resolution(self):
        # Each model proposes its own; a line keeps what it was given.
        for line in self:
            line.resolution = line.resolution or 'refund'
