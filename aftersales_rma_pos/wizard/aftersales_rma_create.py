from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AftersalesRmaCreate(models.TransientModel):
    """The return wizard opened from a till receipt: what it sold, less what the
    till refunded and what returns hold."""

    _inherit = 'aftersales.rma.create'

    pos_order_id = fields.Many2one(
        'pos.order', string="POS Order", check_company=True,
        domain="[('state', 'in', ('paid', 'done')), ('is_refund', '=', False), "
               "'|', ('partner_id', '=', False), ('partner_id', 'child_of', commercial_partner_id)]",
        help="Choosing a till receipt proposes what it sold in place of the current lines.",
    )
    is_pos_anonymous = fields.Boolean(
        string="Anonymous Receipt", compute='_compute_is_pos_anonymous',
        help="The till receipt names no customer: give the customer who brings the goods back.",
    )

    # Default and compute methods

    @api.model
    def default_get(self, fields):
        vals = super().default_get(fields)
        model, res_id = self.env.context.get('active_model'), self.env.context.get('active_id')
        if model == 'pos.order' and res_id:
            source_vals = self._get_source_values(self.env[model].browse(res_id))
            vals.update({fname: value for fname, value in source_vals.items() if fname in fields})
        return vals

    @api.depends('pos_order_id')
    def _compute_is_pos_anonymous(self):
        for wizard in self:
            # sudo: whether the receipt names a customer, not who it is.
            wizard.is_pos_anonymous = bool(wizard.pos_order_id) and not wizard.pos_order_id.sudo().partner_id

    @api.depends('pos_order_id')
    def _compute_partner_id(self):  # pylint: disable=missing-return
        # An anonymous receipt keeps the customer given on the wizard.
        from_pos = self.filtered(
            lambda w: w.pos_order_id and not (w.case_id or w.sale_order_id or w.invoice_id)
        )
        super(AftersalesRmaCreate, self - from_pos)._compute_partner_id()
        for wizard in from_pos:
            partner = wizard.pos_order_id.partner_id
            if partner and partner.commercial_partner_id != wizard.partner_id.commercial_partner_id:
                wizard.partner_id = partner

    @api.depends('pos_order_id')
    def _compute_line_ids(self):  # pylint: disable=missing-return
        from_pos = self.filtered(lambda w: w.pos_order_id and not (w.sale_order_id or w.invoice_id))
        super(AftersalesRmaCreate, self - from_pos)._compute_line_ids()
        for wizard in from_pos:
            wizard.pos_order_id.sudo(False).check_access('read')
            # sudo: the receipt was checked just above.
            vals_list = wizard._get_pos_lines_vals(wizard.pos_order_id.sudo().lines)
            wizard.line_ids = [Command.clear()] + [Command.create(vals) for vals in vals_list]

    # Business methods

    @api.model
    def _get_source_values(self, record):
        if record._name != 'pos.order':
            return super()._get_source_values(record)
        record.ensure_one()
        record.check_access('read')
        if record.state not in ('paid', 'done') or record.is_refund:
            raise UserError(self.env._(
                "%(order)s is not a paid sale of the point of sale: nothing of it can be returned.",
                order=record.name,
            ))
        return {
            'pos_order_id': record.id, 'partner_id': record.partner_id.id,
            'company_id': record.company_id.id,
        }

    def _get_pos_lines_vals(self, pos_lines):
        """Proposed lines for what ``pos_lines`` sold and can still come back.

        A serial sold at the till (a pack lot of the line) gets a line of its
        own; quantities to return start at 0. One query per kind of figure,
        whatever the number of lines.
        """
        pos_lines = pos_lines.filtered(lambda line: line.product_id.type == 'consu' and line.qty > 0)
        if not pos_lines:
            return []
        returnable = pos_lines._aftersales_returnable_qty()
        free_lots = pos_lines._aftersales_free_lots()
        vals_list = []
        for pos_line in pos_lines:
            uom = pos_line.product_uom_id
            qty = uom.round(returnable.get(pos_line, 0.0))
            if uom.compare(qty, 0.0) <= 0:
                continue
            base_vals = {
                'product_id': pos_line.product_id.id, 'pos_order_line_id': pos_line.id,
                'product_uom_id': uom.id, 'qty_returnable': qty, 'product_uom_qty': 0.0,
            }
            lots = free_lots[pos_line]
            if pos_line.product_id.tracking == 'serial' and lots:
                units = int(qty)
                vals_list += [{**base_vals, 'lot_id': lot.id, 'qty_returnable': 1.0} for lot in lots[:units]]
                if units > len(lots):
                    vals_list.append({**base_vals, 'qty_returnable': units - len(lots)})
            else:
                vals_list.append({**base_vals, 'lot_id': lots.id if len(lots) == 1 else False})
        return vals_list

    def _check_documents_access(self):  # pylint: disable=missing-return
        super()._check_documents_access()
        # sudo: only to know the receipts the lines name, checked next.
        orders = self.pos_order_id | self.line_ids.sudo().pos_order_line_id.order_id
        if orders:
            orders.sudo(False).check_access('read')

    def _prepare_rma_vals(self, lines):
        vals = super()._prepare_rma_vals(lines)
        orders = lines.pos_order_line_id.order_id
        vals['pos_order_id'] = (self.pos_order_id or (orders if len(orders) == 1 else orders.browse())).id
        return vals
