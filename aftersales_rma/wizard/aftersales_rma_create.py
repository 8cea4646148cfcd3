from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context, formatLang

from ..models.aftersales_rma import RESOLUTIONS

SOURCE_MODELS = ('sale.order', 'account.move', 'aftersales.case')


class AftersalesRmaCreate(models.TransientModel):
    """Propose what a customer can still send back, and make a draft return of it.

    Opened from a confirmed order, a posted customer invoice, a case, or by
    hand from the Returns menu: the returnable quantities come from the
    deliveries (or the invoice), less what came back or open returns ask for.
    """
    _name = 'aftersales.rma.create'
    _description = "Create a Return"
    _check_company_auto = True

    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, default=lambda self: self.env.company,
    )
    case_id = fields.Many2one('aftersales.case', check_company=True, readonly=True)
    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, check_company=True,
        compute='_compute_partner_id', store=True, readonly=False, precompute=True,
    )
    commercial_partner_id = fields.Many2one(related='partner_id.commercial_partner_id')
    sale_order_id = fields.Many2one(
        'sale.order', string="Sales Order", check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('state', '=', 'sale')]",
        help="Choosing an order proposes what it delivered in place of the current lines.",
    )
    invoice_id = fields.Many2one(
        'account.move', check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), "
               "('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
        help="Choosing an invoice proposes its products in place of the current lines.",
    )
    requested_resolution = fields.Selection(RESOLUTIONS, required=True, default='refund')
    description = fields.Html(string="Customer's Explanation")
    line_ids = fields.One2many(
        'aftersales.rma.create.line', 'wizard_id', string="Lines",
        compute='_compute_line_ids', store=True, readonly=False, precompute=True,
        compute_sudo=False,  # the documents are checked against the user's rights
    )

    # Default and compute methods

    @api.model
    def default_get(self, fields):
        vals = super().default_get(fields)
        model, res_id = self.env.context.get('active_model'), self.env.context.get('active_id')
        if model in SOURCE_MODELS and res_id:
            source_vals = self._get_source_values(self.env[model].browse(res_id))
            vals.update({fname: value for fname, value in source_vals.items() if fname in fields})
        return vals

    @api.depends('case_id', 'sale_order_id', 'invoice_id')
    def _compute_partner_id(self):
        for wizard in self:
            document = wizard.case_id or wizard.sale_order_id or wizard.invoice_id
            # A contact of the same customer stays: the order may name the buyer.
            if document.partner_id.commercial_partner_id != wizard.partner_id.commercial_partner_id:
                wizard.partner_id = document.partner_id

    @api.depends('sale_order_id', 'invoice_id')
    def _compute_line_ids(self):
        for wizard in self:
            wizard._check_source_access(wizard.sale_order_id, wizard.invoice_id)
            # sudo: the document was checked just above.
            if wizard.invoice_id:
                vals_list = wizard._get_invoice_lines_vals(wizard.invoice_id.sudo())
            elif wizard.sale_order_id:
                vals_list = wizard._get_sale_lines_vals(wizard.sale_order_id.sudo().order_line)
            else:
                vals_list = []
            wizard.line_ids = [Command.clear()] + [Command.create(vals) for vals in vals_list]

    # Actions

    def action_create_rma(self):
        """Create the draft return of the lines with a quantity, and open it."""
        self.ensure_one()
        self._check_documents_access()
        # sudo: every document the lines name was checked just above.
        lines = self._get_lines_to_return().sudo()
        lines._check_serials()
        lines._check_returnable()
        # The wizard's default_* keys are not the return's (nor its lines').
        rma_model = self.env['aftersales.rma'].with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        rma = rma_model.create(self._prepare_rma_vals(lines))
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'aftersales.rma',
            'res_id': rma.id,
            'views': [(False, 'form')],
            'target': 'current',
        }

    @api.model
    def _action_open_for(self, record):
        """The wizard's window action, opened from ``record`` (order, invoice or case)."""
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_rma.aftersales_rma_create_action'
        )
        action['context'] = {
            'active_model': record._name, 'active_id': record.id, 'active_ids': record.ids,
        }
        return action

    # Business methods

    @api.model
    def _get_source_values(self, record):
        """The wizard's values when opened from ``record``; refuse a wrong document."""
        record.ensure_one()
        if record._name == 'aftersales.case':
            # The return is linked to the case: whoever may not edit it may not do that.
            record.check_access('write')
            return {
                'case_id': record.id, 'partner_id': record.partner_id.id,
                'sale_order_id': record.sale_order_id.id, 'company_id': record.company_id.id,
            }
        record.check_access('read')
        if record._name == 'sale.order' and record.state != 'sale':
            raise UserError(self.env._(
                "%(order)s is not a confirmed order: nothing of it can be returned.",
                order=record.name,
            ))
        if record._name == 'account.move' and (record.move_type, record.state) != ('out_invoice', 'posted'):
            raise UserError(self.env._(
                "%(move)s is not a posted customer invoice: goods are returned against those only.",
                move=record.display_name,
            ))
        field = 'sale_order_id' if record._name == 'sale.order' else 'invoice_id'
        return {field: record.id, 'partner_id': record.partner_id.id, 'company_id': record.company_id.id}

    def _get_sale_lines_vals(self, sale_lines, invoice_line_by_sale_line=None):
        """Proposed lines for what ``sale_lines`` delivered and is still at the customer.

        A serial gets a line of its own (one unit, the serial filled in), other
        products one line with the returnable quantity; quantities to return
        start at 0, as in stock's return wizard, so that nothing is asked back
        by mistake. One query per kind of figure, whatever the number of lines.
        """
        invoice_line_by_sale_line = invoice_line_by_sale_line or {}
        sale_lines = sale_lines.filtered(
            lambda line: not line.display_type and line.product_id.type == 'consu'
        )
        if not sale_lines:
            return []
        returnable = sale_lines._aftersales_returnable_qty()
        free_lots = self.env['aftersales.rma.create.line']._get_free_lots(sale_lines)
        vals_list = []
        for sale_line in sale_lines:
            uom = sale_line.product_uom_id
            qty = uom.round(returnable.get(sale_line, 0.0))
            if uom.compare(qty, 0.0) <= 0:
                continue
            base_vals = {
                'product_id': sale_line.product_id.id, 'sale_line_id': sale_line.id,
                'invoice_line_id': invoice_line_by_sale_line.get(sale_line, sale_line.browse()).id,
                'product_uom_id': uom.id, 'qty_returnable': qty, 'product_uom_qty': 0.0,
            }
            lots = free_lots[sale_line]
            if sale_line.product_id.tracking == 'serial' and lots:
                vals_list += self._get_serial_lines_vals(base_vals, lots, qty)
            else:
                vals_list.append({**base_vals, 'lot_id': lots.id if len(lots) == 1 else False})
        return vals_list

    def _get_serial_lines_vals(self, base_vals, lots, qty):
        """One line per serial still at the customer, and one without serial for
        units delivered without any (at most ``qty`` units in all)."""
        sale_line = self.env['sale.order.line'].browse(base_vals['sale_line_id'])
        unit = sale_line.product_id.uom_id
        units = int(unit.round(sale_line.product_uom_id._compute_quantity(qty, unit, round=False)))
        vals_list = [
            {**base_vals, 'lot_id': lot.id, 'product_uom_id': unit.id, 'qty_returnable': 1.0}
            for lot in lots[:units]
        ]
        if units > len(lots):
            vals_list.append({**base_vals, 'product_uom_id': unit.id, 'qty_returnable': units - len(lots)})
        return vals_list

    def _get_invoice_lines_vals(self, invoice):
        """Proposed lines of ``invoice``: by delivery for its order lines, else by what
        it invoiced less what was credited or is on open returns."""
        product_lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == 'product' and line.product_id.type == 'consu'
        )
        invoice_line_by_sale_line = {}
        for invoice_line in product_lines:
            for sale_line in invoice_line.sale_line_ids:
                invoice_line_by_sale_line.setdefault(sale_line, invoice_line)
        sale_lines = product_lines.sale_line_ids
        vals_list = self._get_sale_lines_vals(sale_lines, invoice_line_by_sale_line)
        plain_lines = product_lines.filtered(lambda line: not line.sale_line_ids)
        returnable = plain_lines._aftersales_returnable_qty() if plain_lines else {}
        for invoice_line in plain_lines:
            uom = invoice_line.product_uom_id
            qty = uom.round(returnable.get(invoice_line, 0.0))
            if uom.compare(qty, 0.0) > 0:
                vals_list.append({
                    'product_id': invoice_line.product_id.id, 'invoice_line_id': invoice_line.id,
                    'product_uom_id': uom.id, 'qty_returnable': qty, 'product_uom_qty': 0.0,
                })
        return vals_list

    def _check_documents_access(self):
        """The user may edit the case and read the documents the return will name:
        a crafted wizard must not reach what its user cannot open."""
        if self.case_id:
            self.case_id.check_access('write')
        lines = self.line_ids.sudo()  # sudo: only to know the documents, checked next
        self._check_source_access(
            self.sale_order_id | lines.sale_line_id.order_id,
            self.invoice_id | lines.invoice_line_id.move_id,
        )

    def _check_source_access(self, orders, invoices):
        """Refuse orders and invoices the user may not read, but for the case's
        order when the user may edit the case: agents return the goods of their
        cases without rights on sales."""
        self.ensure_one()
        for documents in (orders.sudo(False), invoices.sudo(False)):
            if not documents or documents.has_access('read'):
                continue
            for document in documents:
                if document == self.case_id.sale_order_id and self.case_id.has_access('write'):
                    continue
                document.check_access('read')

    def _get_lines_to_return(self):
        """The lines with a quantity; refuse negative quantities and an empty return."""
        for line in self.line_ids.filtered(lambda line: line.product_uom_qty < 0)[:1]:
            if not line.sale_line_id and not line.invoice_line_id:
                raise UserError(self.env._(
                    "%(product)s: the quantity to return must be a positive number, not %(qty)s.",
                    product=line.product_id.display_name, qty=line.product_uom_qty,
                ))
            raise UserError(self.env._(
                "%(product)s: enter a quantity to return between 0 and %(max)s %(uom)s, not %(qty)s.",
                product=line.product_id.display_name, uom=line.product_uom_id.name,
                max=formatLang(self.env, line.qty_returnable, dp='Product Unit'), qty=line.product_uom_qty,
            ))
        lines = self.line_ids.filtered(
            lambda line: line.product_uom_id.compare(line.product_uom_qty, 0.0) > 0
        )
        if not lines:
            raise UserError(self.env._(
                "Nothing to return: enter the quantity the customer sends back on at least one line."
            ))
        return lines

    def _prepare_rma_vals(self, lines):
        """Values of the draft return of ``lines``: the order is named when the
        wizard has one or all lines come from the same one."""
        self.ensure_one()
        orders = lines.sale_line_id.order_id
        return {
            'partner_id': self.partner_id.id,
            'company_id': self.company_id.id,
            'case_id': self.case_id.id,
            'sale_order_id': (self.sale_order_id or (orders if len(orders) == 1 else orders.browse())).id,
            'invoice_id': self.invoice_id.id,
            'requested_resolution': self.requested_resolution,
            'description': self.description,
            'line_ids': [Command.create(line._prepare_rma_line_vals()) for line in lines],
        }
