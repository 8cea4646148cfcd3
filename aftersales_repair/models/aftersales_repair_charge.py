from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesRepairCharge(models.AbstractModel):
    """What operations and extra costs share: a service product of a repair,
    its quantity and price, and the line of the repair's sale order that
    charges it.

    The order follows the repair as core's parts do: once the repair has a
    sale order, each charge has its line there, with its quantity and price
    (nothing under warranty).
    """

    _name = 'aftersales.repair.charge'
    _description = "Repair Charge"
    _check_company_auto = True

    repair_id = fields.Many2one(
        'repair.order', required=True, index=True, ondelete='cascade', check_company=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related='repair_id.company_id', store=True, index=True)
    product_id = fields.Many2one(
        'product.product', required=True, check_company=True, domain="[('type', '=', 'service')]",
    )
    name = fields.Char(
        string="Description", compute='_compute_from_product', store=True, readonly=False,
        precompute=True,
    )
    product_uom_id = fields.Many2one(
        'uom.uom', string="Unit", compute='_compute_from_product', store=True, readonly=False,
        precompute=True,
    )
    quantity = fields.Float(digits='Product Unit', default=1.0, required=True)
    price_unit = fields.Float(
        string="Unit Price", digits='Product Price', compute='_compute_from_product', store=True,
        readonly=False, precompute=True,
    )
    currency_id = fields.Many2one(related='company_id.currency_id')
    price_subtotal = fields.Monetary(string="Value", compute='_compute_price_subtotal', store=True)
    sale_line_id = fields.Many2one(
        'sale.order.line', string="Order Line", index='btree_not_null', copy=False, readonly=True,
    )

    # Compute methods

    @api.depends('product_id')
    def _compute_from_product(self):
        for charge in self:
            product = charge.product_id
            charge.name = product.display_name
            charge.product_uom_id = product.uom_id
            charge.price_unit = product.lst_price

    @api.depends('quantity', 'price_unit')
    def _compute_price_subtotal(self):
        for charge in self:
            charge.price_subtotal = charge.quantity * charge.price_unit

    # Constraints

    @api.constrains('quantity', 'price_unit')
    def _check_figures(self):
        for charge in self:
            if charge.quantity <= 0 or charge.price_unit < 0:
                raise ValidationError(self.env._(
                    "%(charge)s: the quantity must be above zero and the unit price zero or more.",
                    charge=charge.name,
                ))

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        charges = super().create(vals_list)
        charges._sync_sale_lines()
        return charges

    def write(self, vals):
        result = super().write(vals)
        if {'product_id', 'name', 'quantity', 'product_uom_id', 'price_unit'} & set(vals):
            self._sync_sale_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_clean_sale_lines(self):
        # As core does for parts: the line stays, charging nothing.
        # sudo: see _sync_sale_lines.
        self.sudo().sale_line_id.product_uom_qty = 0.0

    # Business methods

    def _sync_sale_lines(self):
        """Give each charge of a repair with a sale order its line there, up to date."""
        charges = self.filtered(
            lambda c: c.repair_id.sale_order_id and c.repair_id.sale_order_id.state != 'cancel'
        )
        # sudo: technicians record the work and its costs; the repair's order
        # follows them, as core's parts do, with the charges' own figures.
        charges = charges.sudo()
        new = charges.filtered(lambda c: not c.sale_line_id)
        lines = self.env['sale.order.line'].sudo().create([c._prepare_sale_line_vals() for c in new])
        for charge, line in zip(new, lines, strict=True):
            charge.sale_line_id = line
        for charge in charges - new:
            charge.sale_line_id.write(charge._prepare_sale_line_update_vals())

    def _prepare_sale_line_vals(self):
        self.ensure_one()
        return {
            'order_id': self.repair_id.sale_order_id.id,
            'product_id': self.product_id.id,
            **self._prepare_sale_line_update_vals(),
        }

    def _prepare_sale_line_update_vals(self):
        """Quantity and price on the order: nothing is charged under warranty."""
        self.ensure_one()
        return {
            'name': self.name,
            'product_uom_qty': self.quantity,
            'product_uom_id': self.product_uom_id.id,
            'price_unit': 0.0 if self.repair_id.under_warranty else self.price_unit,
            'technical_price_unit': 0.0 if self.repair_id.under_warranty else self.price_unit,
        }
