from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..models.aftersales_rma import OPEN_STATES
from ..models.aftersales_rma_line import document_of, returnable_excess


class AftersalesRmaCreateLine(models.TransientModel):
    _name = 'aftersales.rma.create.line'
    _inherit = ['aftersales.rma.line.mixin']
    _description = "Create a Return: Line"
    _order = 'sequence, id'

    wizard_id = fields.Many2one('aftersales.rma.create', required=True, ondelete='cascade')
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related='wizard_id.company_id')
    commercial_partner_id = fields.Many2one(related='wizard_id.commercial_partner_id')
    qty_returnable = fields.Float(
        string="Returnable", digits='Product Unit', compute='_compute_qty_returnable', store=True,
        compute_sudo=False,  # the documents are checked against the user's rights
        help="Delivered (or invoiced) and not returned yet, less what open returns ask for.",
    )
    product_uom_qty = fields.Float(string="To Return", digits='Product Unit', default=0.0)

    # Compute methods

    @api.depends('reason_id', 'wizard_id.requested_resolution')
    def _compute_resolution(self):
        for line in self:
            line.resolution = (
                line.reason_id.default_resolution or line.wizard_id.requested_resolution or 'refund'
            )

    @api.depends('sale_line_id', 'invoice_line_id', 'lot_id', 'product_uom_id')
    def _compute_qty_returnable(self):
        for wizard, lines in self.grouped('wizard_id').items():
            wizard._check_source_access(
                lines.sudo().sale_line_id.order_id, lines.sudo().invoice_line_id.move_id,
            )
        # sudo: the documents were checked just above.
        lines = self.sudo()
        by_sale_line, by_invoice_line = lines._get_returnable_by_source()
        free_lots = lines._get_free_lots(lines.sale_line_id)
        for line in lines:
            source = line.sale_line_id or line.invoice_line_id
            if not source:
                line.qty_returnable = 0.0
                continue
            if line.sale_line_id and line.lot_id and line.product_tracking == 'serial':
                qty = 1.0 if line.lot_id in free_lots[line.sale_line_id] else 0.0
                qty = line.product_id.uom_id._compute_quantity(qty, line.product_uom_id)
            else:
                maximum = (by_sale_line if line.sale_line_id else by_invoice_line).get(source, 0.0)
                qty = source.product_uom_id._compute_quantity(maximum, line.product_uom_id)
            line.qty_returnable = max(0.0, qty)

    # Business methods

    def _get_returnable_by_source(self):
        """``({sale line: returnable}, {invoice line: returnable})`` for these lines;
        an invoice line counts only where no order line does (as on returns)."""
        by_sale = self.filtered('sale_line_id')
        by_invoice = (self - by_sale).filtered('invoice_line_id')
        return (
            by_sale.sale_line_id._aftersales_returnable_qty() if by_sale else {},
            by_invoice.invoice_line_id._aftersales_returnable_qty() if by_invoice else {},
        )

    @api.model
    def _get_free_lots(self, sale_lines):
        """``{sale line: lots delivered, still at the customer and on no open return}``."""
        tracked = sale_lines.filtered(lambda line: line.product_id.tracking != 'none')
        lots = tracked._aftersales_delivered_lots()
        if tracked:
            # sudo: another team's open return holds the serial as well.
            for sale_line, lot in self.env['aftersales.rma.line'].sudo()._read_group(
                [('sale_line_id', 'in', tracked.ids), ('lot_id', '!=', False),
                 ('state', 'in', OPEN_STATES)],
                ['sale_line_id', 'lot_id'],
            ):
                lots[sale_line] -= lot
        return lots

    def _check_serials(self):
        """A serial is one unit, asked back once, and must be at the customer."""
        serial_lines = self.filtered(lambda line: line.lot_id and line.product_tracking == 'serial')
        free_lots = self._get_free_lots(serial_lines.sale_line_id)
        for lot, lines in serial_lines.grouped('lot_id').items():
            units = sum(
                line.product_uom_id._compute_quantity(line.product_uom_qty, lot.product_id.uom_id)
                for line in lines
            )
            if lot.product_id.uom_id.compare(units, 1.0) > 0:
                raise UserError(self.env._(
                    "%(product)s: serial number %(lot)s is one unit; it cannot be returned "
                    "%(qty)s times.", product=lot.product_id.display_name, lot=lot.name, qty=units,
                ))
            sale_line = lines[0].sale_line_id
            if sale_line and lot not in free_lots[sale_line]:
                raise UserError(self.env._(
                    "%(product)s: serial number %(lot)s is not at the customer from %(order)s, "
                    "or is already on an open return.",
                    product=lot.product_id.display_name, lot=lot.name, order=sale_line.order_id.name,
                ))

    def _check_returnable(self):
        """Refuse more than can still be returned from each order or invoice line,
        naming the product and the maximum; the return line's constraint then
        checks the same again, under the rules of the return itself."""
        for line in self:
            if not line.product_uom_id._has_common_reference(line.product_id.uom_id):
                raise UserError(self.env._(
                    "%(product)s cannot be counted in %(uom)s.",
                    product=line.product_id.display_name, uom=line.product_uom_id.name,
                ))
        excess = returnable_excess(self, *self._get_returnable_by_source())
        if excess:
            source, asked, maximum = excess
            uom = source.product_uom_id
            raise UserError(self.env._(
                "%(product)s: at most %(max)s %(uom)s can be returned from %(document)s, "
                "not %(asked)s %(uom)s.",
                product=source.product_id.display_name, uom=uom.name,
                max=formatLang(self.env, maximum, dp='Product Unit'),
                asked=formatLang(self.env, asked, dp='Product Unit'),
                document=document_of(source).name,
            ))

    def _prepare_rma_line_vals(self):
        """Values of the return line made from this wizard line."""
        self.ensure_one()
        return {
            'sequence': self.sequence, 'product_id': self.product_id.id, 'lot_id': self.lot_id.id,
            'product_uom_qty': self.product_uom_qty, 'product_uom_id': self.product_uom_id.id,
            'reason_id': self.reason_id.id, 'resolution': self.resolution,
            'sale_line_id': self.sale_line_id.id, 'invoice_line_id': self.invoice_line_id.id,
        }
