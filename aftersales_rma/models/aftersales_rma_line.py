from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import ValidationError

from .aftersales_rma import OPEN_STATES

CONDITIONS = [
    ('new', "As New"),
    ('used', "Used"),
    ('damaged', "Damaged"),
    ('defective', "Defective"),
    ('incomplete', "Incomplete"),
]


class AftersalesRmaLine(models.Model):
    _name = 'aftersales.rma.line'
    _inherit = ['aftersales.rma.line.mixin']
    _description = "Return Authorisation Line"
    _order = 'rma_id, sequence, id'

    rma_id = fields.Many2one(
        'aftersales.rma', string="Return", required=True, index=True, ondelete='cascade',
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related='rma_id.company_id', store=True, index=True)
    state = fields.Selection(related='rma_id.state', store=True, index=True)
    commercial_partner_id = fields.Many2one(
        related='rma_id.commercial_partner_id', store=True, index=True, string="Customer",
    )
    date = fields.Datetime(related='rma_id.date', store=True)
    root_cause_id = fields.Many2one(related='rma_id.root_cause_id', store=True, index='btree_not_null')
    currency_id = fields.Many2one(related='rma_id.currency_id')
    product_id = fields.Many2one(index=True)
    lot_id = fields.Many2one(index='btree_not_null')
    product_uom_qty = fields.Float(
        string="Quantity", digits='Product Unit', required=True, default=1.0,
    )
    reason_id = fields.Many2one(index=True)
    condition = fields.Selection(
        CONDITIONS, string="Condition on Arrival",
        help="How the goods arrived, noted by the warehouse.",
    )
    replacement_product_id = fields.Many2one(
        'product.product', string="Replace With", check_company=True,
        help="Another product to send instead of the returned one.",
    )
    sale_line_id = fields.Many2one(index='btree_not_null')
    invoice_line_id = fields.Many2one(
        index='btree_not_null', help="The customer invoice line this return is credited against.",
    )
    supplier_id = fields.Many2one(
        'res.partner', compute='_compute_supplier_id', store=True, readonly=False,
        index='btree_not_null',
        help="Defaults to the product's main vendor; a supplier chosen by hand stays.",
    )
    price_unit = fields.Float(
        digits='Product Price', compute='_compute_price', store=True, readonly=False,
        precompute=True,
    )
    discount = fields.Float(digits='Discount', compute='_compute_price', store=True,
                            readonly=False, precompute=True)
    price_subtotal = fields.Monetary(compute='_compute_price_subtotal', store=True)
    move_ids = fields.One2many('stock.move', 'aftersales_rma_line_id', string="Stock Moves")
    credit_line_ids = fields.One2many(
        'account.move.line', 'aftersales_rma_line_id', string="Credit Note Lines",
    )
    qty_received = fields.Float(
        digits='Product Unit', compute='_compute_stock_quantities', store=True,
    )
    qty_incoming = fields.Float(
        string="Expected", digits='Product Unit', compute='_compute_stock_quantities',
        store=True, help="Quantity on receipts not done yet.",
    )
    qty_outgoing = fields.Float(
        string="On Its Way Back", digits='Product Unit', compute='_compute_stock_quantities',
        store=True, help="Quantity on deliveries to the customer not done yet.",
    )
    qty_delivered = fields.Float(
        string="Sent Back", digits='Product Unit', compute='_compute_stock_quantities',
        store=True, help="Replacements or returned goods delivered to the customer.",
    )
    qty_scrapped = fields.Float(
        digits='Product Unit', compute='_compute_stock_quantities', store=True,
    )
    qty_credited = fields.Float(
        digits='Product Unit', compute='_compute_qty_credited', store=True,
        help="Quantity on posted credit notes.",
    )
    qty_credit_draft = fields.Float(
        string="On Draft Credit Notes", digits='Product Unit',
        compute='_compute_qty_credited', store=True,
    )
    qty_uninvoiced = fields.Float(
        string="Not Invoiced", digits='Product Unit', readonly=True, copy=False,
        help="Received quantity that was never invoiced: the order's quantity to invoice "
             "dropped instead of a credit note.",
    )
    qty_to_credit = fields.Float(
        digits='Product Unit', compute='_compute_qty_to_credit', store=True,
    )
    note = fields.Text()

    _qty_positive = models.Constraint(
        'CHECK (product_uom_qty > 0)', "A return line needs a quantity above zero.",
    )

    # Compute methods

    @api.depends('rma_id.requested_resolution')
    def _compute_resolution(self):
        for line in self:
            if not line.resolution:
                line.resolution = line.rma_id.requested_resolution or 'refund'

    @api.depends('product_id', 'company_id')
    def _compute_supplier_id(self):
        defaults = self._get_default_suppliers()
        for line in self:
            # Only an empty supplier or the product's own default is replaced:
            # one chosen by hand stays whatever the product becomes.
            if not line.supplier_id or line.supplier_id == line._get_product_vendor():
                line.supplier_id = defaults.get(line) or line._get_product_vendor()

    @api.depends('sale_line_id', 'invoice_line_id', 'product_id')
    def _compute_price(self):
        for line in self:
            source = line.invoice_line_id or line.sale_line_id
            if source:
                line.price_unit = source.price_unit
                line.discount = source.discount
            elif not line.price_unit:
                line.price_unit = line.product_id.lst_price

    @api.depends('price_unit', 'discount', 'product_uom_qty')
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.currency_id.round(
                line.price_unit * (1 - line.discount / 100.0) * line.product_uom_qty
            ) if line.currency_id else 0.0

    @api.depends('move_ids.state', 'move_ids.quantity', 'move_ids.product_uom',
                 'move_ids.location_id', 'move_ids.location_dest_id')
    def _compute_stock_quantities(self):
        for line in self:
            quantities = defaultdict(float)
            for move in line.move_ids:
                kind = move._aftersales_rma_direction()
                if not kind or move.state == 'cancel':
                    continue
                qty = move.product_uom._compute_quantity(
                    move.quantity if move.state == 'done' else move.product_uom_qty,
                    line.product_uom_id, rounding_method='HALF-UP',
                )
                if move.state == 'done':
                    quantities[kind] += qty
                elif kind in ('received', 'delivered'):
                    quantities[f'{kind}_pending'] += qty
            line.qty_received = quantities['received']
            line.qty_incoming = quantities['received_pending']
            line.qty_outgoing = quantities['delivered_pending']
            line.qty_delivered = quantities['delivered']
            line.qty_scrapped = quantities['scrapped']

    @api.depends('credit_line_ids.quantity', 'credit_line_ids.parent_state',
                 'credit_line_ids.product_uom_id', 'credit_line_ids.move_id.move_type')
    def _compute_qty_credited(self):
        for line in self:
            posted = draft = 0.0
            for credit in line.credit_line_ids:
                if credit.parent_state == 'cancel':
                    continue
                qty = credit.product_uom_id._compute_quantity(credit.quantity, line.product_uom_id)
                if credit.move_id.move_type == 'out_invoice':
                    qty = -qty  # the order's invoicing nets a return into an invoice
                if credit.parent_state == 'posted':
                    posted += qty
                else:
                    draft += qty
            line.qty_credited = posted
            line.qty_credit_draft = draft

    @api.depends('resolution', 'qty_received', 'qty_credited', 'qty_credit_draft',
                 'qty_uninvoiced')
    def _compute_qty_to_credit(self):
        for line in self:
            if line.resolution != 'refund':
                line.qty_to_credit = 0.0
                continue
            remaining = line.qty_received - line.qty_credited - line.qty_credit_draft \
                - line.qty_uninvoiced
            line.qty_to_credit = max(0.0, line.product_uom_id.round(remaining))

    # Constraints

    @api.constrains('product_id', 'lot_id', 'sale_line_id', 'invoice_line_id', 'product_uom_qty')
    def _check_documents(self):
        for line in self:
            customer = line.rma_id.commercial_partner_id
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(self.env._(
                    "Lot %(lot)s is not a lot of %(product)s.",
                    lot=line.lot_id.name, product=line.product_id.display_name,
                ))
            if line.product_tracking == 'serial' and line.lot_id \
                    and line.product_uom_id.compare(line.product_uom_qty, 1.0) > 0:
                raise ValidationError(self.env._(
                    "Serial number %(lot)s is one unit of %(product)s: return it on a line "
                    "of its own with a quantity of 1.",
                    lot=line.lot_id.name, product=line.product_id.display_name,
                ))
            order = line.sale_line_id.order_id
            if line.sale_line_id and (line.sale_line_id.product_id != line.product_id
                                      or order.partner_id.commercial_partner_id != customer):
                raise ValidationError(self.env._(
                    "Order line %(line)s is not a sale of %(product)s to %(customer)s.",
                    line=line.sale_line_id.display_name, product=line.product_id.display_name,
                    customer=customer.display_name,
                ))
            invoice = line.invoice_line_id.move_id
            if line.invoice_line_id and (
                line.invoice_line_id.product_id != line.product_id
                or invoice.commercial_partner_id != customer
                or invoice.move_type != 'out_invoice' or invoice.state != 'posted'
            ):
                raise ValidationError(self.env._(
                    "Invoice line %(line)s is not a posted invoice of %(product)s to %(customer)s.",
                    line=line.invoice_line_id.display_name,
                    product=line.product_id.display_name, customer=customer.display_name,
                ))
            # sudo: the invoice's order lines are read to check, not shown.
            billed = line.sudo().invoice_line_id.sale_line_ids.filtered(
                lambda sol, product=line.product_id: sol.product_id == product
            )
            if billed and line.sudo().sale_line_id not in billed:
                raise ValidationError(self.env._(
                    "Invoice line %(line)s bills goods of order %(order)s: they come back "
                    "against that order's line, so that they are counted once.",
                    line=line.invoice_line_id.display_name,
                    order=", ".join(billed.order_id.mapped('name')),
                ))
        # Locked: two requests for the same goods at once (a portal double
        # submit) must not both pass.
        self.filtered(lambda line: line.state in OPEN_STATES)._check_returnable(lock=True)

    # Business methods

    def _get_product_vendor(self):
        """The product's main vendor: its first vendor valid for the line's company."""
        self.ensure_one()
        company = self.company_id or self.env.company
        sellers = self.product_id.seller_ids.filtered(
            lambda s: not s.company_id or s.company_id == company
        )
        return sellers[:1].partner_id

    def _get_default_suppliers(self):
        """``{line: partner}``: the supplier each line defaults to, when it is
        not the product's main vendor (the purchase of the line's lot, in
        aftersales_rma_purchase). Computed for all lines at once."""
        return {}

    def _check_returnable(self, lock=False, with_drafts=True):
        """Refuse asking back more than was delivered (or invoiced), less what is
        already returned or in another open return.

        With ``lock``, the order and invoice lines are locked first, so that
        two returns approved at the same moment cannot both take the last units.
        Without ``with_drafts``, other returns count once approved only: an
        approval takes the units, and a draft that wanted them too (reset from
        rejected, say) is refused when its own turn comes.
        """
        by_sale_line = self.filtered('sale_line_id')
        by_invoice_line = (self - by_sale_line).filtered('invoice_line_id')
        if lock:
            lock_rows(by_sale_line.sale_line_id, touch=True)
            lock_rows(by_invoice_line.invoice_line_id.move_id, touch=True)
        excess = returnable_excess(
            self,
            by_sale_line.sale_line_id._aftersales_returnable_qty(exclude=self, with_drafts=with_drafts)
            if by_sale_line else {},
            by_invoice_line.invoice_line_id._aftersales_returnable_qty(exclude=self, with_drafts=with_drafts)
            if by_invoice_line else {},
        )
        if excess:
            source, asked, maximum = excess
            uom = source.product_uom_id
            raise ValidationError(self.env._(
                "%(product)s: at most %(max)s %(uom)s can still be returned from "
                "%(document)s (%(asked)s asked).",
                product=source.product_id.display_name, max=uom.round(maximum), uom=uom.name,
                document=document_of(source).name, asked=uom.round(asked),
            ))

    def _is_reception_finished(self):
        """Nothing more is expected: every receipt is done or was cancelled."""
        self.ensure_one()
        return self.product_uom_id.is_zero(self.qty_incoming)

    def _allocate_origin_moves(self):
        """Match lines to the deliveries their goods left on.

        Returns ``([(line, delivery move, quantity in the line's unit)], lines
        without a delivery)``. A serial goes back against the delivery that
        carried it; other quantities against the latest deliveries first, each
        for what was not returned from it yet. One search for all lines.
        """
        moves = self.env['stock.move'].search([
            ('sale_line_id', 'in', self.sale_line_id.ids), ('state', '=', 'done'),
            ('location_dest_id.usage', '=', 'customer'), ('origin_returned_move_id', '=', False),
        ], order='date desc, id desc')
        remaining = {move: move.quantity for move in moves}
        for move, state, uom, done, planned in self.env['stock.move']._read_group(
            [('origin_returned_move_id', 'in', moves.ids), ('state', '!=', 'cancel')],
            ['origin_returned_move_id', 'state', 'product_uom'],
            ['quantity:sum', 'product_uom_qty:sum'],
        ):
            qty = done if state == 'done' else planned
            remaining[move] -= uom._compute_quantity(qty, move.product_uom)
        lots_by_move = defaultdict(lambda: self.env['stock.lot'])
        for move, lot in self.env['stock.move.line']._read_group(
            [('move_id', 'in', moves.ids), ('lot_id', '!=', False)], ['move_id', 'lot_id'],
        ):
            lots_by_move[move] |= lot
        moves_by_sale_line = moves.grouped('sale_line_id')
        allocations, unmatched = [], self.browse()
        for line in self:
            candidates = moves_by_sale_line.get(line.sale_line_id, moves.browse())
            if line.lot_id:
                candidates = candidates.filtered(lambda m, lot=line.lot_id: lot in lots_by_move[m])
            to_allocate = line.product_uom_qty
            for move in candidates:
                if line.product_uom_id.is_zero(to_allocate):
                    break
                available = move.product_uom._compute_quantity(remaining[move], line.product_uom_id)
                qty = min(available, to_allocate)
                if line.product_uom_id.compare(qty, 0.0) > 0:
                    allocations.append((line, move, qty))
                    remaining[move] -= line.product_uom_id._compute_quantity(qty, move.product_uom)
                    to_allocate -= qty
            if line.product_uom_id.compare(to_allocate, line.product_uom_qty) == 0:
                unmatched |= line
        return allocations, unmatched


def returnable_excess(lines, returnable_by_sale_line, returnable_by_invoice_line):
    """``(source, asked, maximum)`` for the first order or invoice line that
    ``lines`` (return or wizard lines) ask more of than it can still give back,
    in that line's unit; None when none does. An invoice line counts only for
    lines without an order line, as on returns."""
    by_sale = lines.filtered('sale_line_id')
    by_invoice = (lines - by_sale).filtered('invoice_line_id')
    for fname, group, returnable in (('sale_line_id', by_sale, returnable_by_sale_line),
                                     ('invoice_line_id', by_invoice, returnable_by_invoice_line)):
        for source, source_lines in group.grouped(fname).items():
            uom = source.product_uom_id
            asked = sum(
                line.product_uom_id._compute_quantity(line.product_uom_qty, uom, round=False)
                for line in source_lines
            )
            maximum = max(0.0, returnable.get(source, 0.0))
            if uom.compare(asked, maximum) > 0:
                return source, asked, maximum
    return None


def document_of(source):
    """The order of an order line, the invoice of an invoice line."""
    return source.order_id if source._name == 'sale.order.line' else source.move_id
