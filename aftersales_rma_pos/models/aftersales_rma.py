from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesRma(models.Model):
    """Returns of cash sales: goods sold at the till, named by its order."""

    _inherit = 'aftersales.rma'

    pos_order_id = fields.Many2one(
        'pos.order', string="POS Order", tracking=True, index='btree_not_null',
        check_company=True,
        domain="[('state', 'in', ('paid', 'done')), ('is_refund', '=', False), "
               "'|', ('partner_id', '=', False), ('partner_id', 'child_of', commercial_partner_id)]",
        help="The till receipt the goods were bought on. A receipt without customer is "
             "anonymous: whoever brings it back is the return's customer.",
    )
    is_pos_anonymous = fields.Boolean(
        string="Anonymous Receipt", compute='_compute_is_pos_anonymous',
        help="The till receipt names no customer: the customer was given on the return.",
    )
    pos_refund_order_ids = fields.One2many(
        'pos.order', 'aftersales_rma_id', string="Refund Orders",
        groups='point_of_sale.group_pos_user',
    )
    pos_refund_count = fields.Integer(
        compute='_compute_pos_refund_count', groups='point_of_sale.group_pos_user',
    )

    # Compute methods

    @api.depends('pos_order_id')
    def _compute_is_pos_anonymous(self):
        for rma in self:
            # sudo: whether the receipt names a customer, not who it is.
            rma.is_pos_anonymous = bool(rma.pos_order_id) and not rma.pos_order_id.sudo().partner_id

    @api.depends('pos_refund_order_ids')
    def _compute_pos_refund_count(self):
        counts = dict(self.env['pos.order']._read_group(
            [('aftersales_rma_id', 'in', self.ids)], ['aftersales_rma_id'], ['__count'],
        ))
        for rma in self:
            rma.pos_refund_count = counts.get(rma, 0)

    @api.depends('pos_order_id')
    def _compute_warehouse_id(self):  # pylint: disable=missing-return
        super()._compute_warehouse_id()
        for rma in self.filtered(lambda r: r.pos_order_id and not r.sale_order_id):
            warehouse = rma.pos_order_id.config_id.picking_type_id.warehouse_id
            if warehouse:
                rma.warehouse_id = warehouse

    @api.depends('pos_order_id')
    def _compute_currency_id(self):  # pylint: disable=missing-return
        super()._compute_currency_id()
        for rma in self.filtered(lambda r: r.pos_order_id and not (r.invoice_id or r.sale_order_id)):
            rma.currency_id = rma.pos_order_id.currency_id

    @api.depends('pos_refund_order_ids.account_move')
    def _compute_credit_note_ids(self):  # pylint: disable=missing-return
        super()._compute_credit_note_ids()
        for rma in self:
            # sudo: a refund order's credit note is the return's credit note,
            # shown to whoever may read the return.
            invoices = rma.sudo().pos_refund_order_ids.account_move
            if invoices:
                rma.credit_note_ids |= invoices
                rma.credit_note_count = len(rma.credit_note_ids)

    # Constraints

    @api.constrains('pos_order_id', 'partner_id')
    def _check_pos_order_customer(self):
        for rma in self:
            # sudo: the till receipt is read to check the return, not shown.
            order = rma.pos_order_id.sudo()
            if not order:
                continue
            if order.is_refund or order.state not in ('paid', 'done'):
                raise ValidationError(self.env._(
                    "%(order)s is not a paid sale of the point of sale: nothing of it can be "
                    "returned.", order=order.name,
                ))
            if order.partner_id and order.partner_id.commercial_partner_id != rma.commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(document)s belongs to another customer than return %(rma)s.",
                    document=order.name, rma=rma.name,
                ))

    # Actions

    def action_refund(self):
        """Cash sales are refunded by refund orders the till pays: when the
        return made nothing else, open them."""
        result = super().action_refund()
        if result is not True:
            return result
        # sudo: the user was allowed to credit these returns just above.
        refunds = self.sudo().pos_refund_order_ids.filtered(lambda order: order.state == 'draft')
        if not refunds:
            return True
        return self._action_view(refunds.sudo(False), 'point_of_sale.action_pos_pos_form')

    def action_view_pos_refunds(self):
        self.ensure_one()
        return self._action_view(self.pos_refund_order_ids, 'point_of_sale.action_pos_pos_form')
