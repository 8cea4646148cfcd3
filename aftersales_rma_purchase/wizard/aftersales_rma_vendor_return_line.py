from odoo import api, fields, models


class AftersalesRmaVendorReturnLine(models.TransientModel):
    _name = 'aftersales.rma.vendor.return.line'
    _description = "Return to Vendor Line"

    wizard_id = fields.Many2one('aftersales.rma.vendor.return', required=True, ondelete='cascade')
    rma_line_id = fields.Many2one('aftersales.rma.line', string="Return Line", required=True)
    product_id = fields.Many2one(related='rma_line_id.product_id')
    lot_id = fields.Many2one(related='rma_line_id.lot_id')
    product_uom_id = fields.Many2one(related='rma_line_id.product_uom_id')
    qty_available = fields.Float(
        string="Still Here", digits='Product Unit', compute='_compute_qty_available',
        help="Received goods of the line not scrapped, sent back or already gone to a vendor.",
    )
    quantity = fields.Float(digits='Product Unit', required=True)

    @api.depends('rma_line_id')
    def _compute_qty_available(self):
        for line in self:
            line.qty_available = line.rma_line_id._get_qty_for_vendor() if line.rma_line_id else 0.0
