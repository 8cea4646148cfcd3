from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AftersalesRmaVendorReturn(models.TransientModel):
    _name = 'aftersales.rma.vendor.return'
    _description = "Return to Vendor"

    rma_id = fields.Many2one('aftersales.rma', string="Return", required=True)
    line_ids = fields.One2many(
        'aftersales.rma.vendor.return.line', 'wizard_id', string="Goods",
        compute='_compute_line_ids', store=True, readonly=False, precompute=True,
        compute_sudo=False,
    )

    @api.depends('rma_id')
    def _compute_line_ids(self):
        for wizard in self:
            # The wizard shows what the user could send: the goods of returns they may change.
            wizard.rma_id.check_access('write')
            wizard.line_ids = [Command.clear()] + [
                Command.create({'rma_line_id': line.id, 'quantity': line._get_qty_for_vendor()})
                for line in wizard.rma_id.line_ids
                if not line.product_uom_id.is_zero(line._get_qty_for_vendor())
            ]

    def action_confirm(self):
        """Send the goods back to their vendors; open the transfers made for
        those who may, else back to the return."""
        self.ensure_one()
        quantities = {
            line.rma_line_id: line.quantity for line in self.line_ids
            if not line.product_uom_id.is_zero(line.quantity)
        }
        if not quantities:
            raise UserError(self.env._("Give a quantity to send back to the vendor."))
        pickings = self.rma_id._return_to_vendor(quantities)
        if not pickings.with_env(self.env).has_access('read'):
            return {'type': 'ir.actions.act_window_close'}
        return self.rma_id._action_view(pickings, 'stock.action_picking_tree_all')
