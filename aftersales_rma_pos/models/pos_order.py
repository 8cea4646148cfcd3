from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.aftersales_rma.models.sale_order import RETURN_READERS


class PosOrder(models.Model):
    _inherit = 'pos.order'

    aftersales_rma_id = fields.Many2one(
        'aftersales.rma', string="Return", index='btree_not_null', copy=False, readonly=True,
        help="On a refund order: the return whose received goods it refunds.",
    )
    aftersales_rma_count = fields.Integer(
        compute='_compute_aftersales_rma_count', string="Return Count", groups=RETURN_READERS,
    )
    aftersales_can_return = fields.Boolean(
        compute='_compute_aftersales_can_return', string="Can Return",
        help="A paid sale of goods: the Return button shows.",
    )

    # Compute methods

    @api.depends('lines.aftersales_rma_line_ids')
    @api.depends_context('uid')
    def _compute_aftersales_rma_count(self):
        rmas = self._get_aftersales_rmas()
        for order in self:
            order.aftersales_rma_count = len(rmas[order])

    @api.depends('state', 'is_refund', 'lines.qty', 'lines.product_id')
    def _compute_aftersales_can_return(self):
        for order in self:
            order.aftersales_can_return = order.state in ('paid', 'done') and not order.is_refund \
                and any(line.product_id.type == 'consu' and line.qty > 0 for line in order.lines)

    # CRUD methods

    def write(self, vals):
        paying = self.browse()
        if vals.get('state') in ('paid', 'done'):
            paying = self.filtered(lambda order: order.is_refund and order.state == 'draft')
        result = super().write(vals)
        # Checked as the money leaves: a draft refund (core's Return Products
        # proposes every unit) is only a proposal.
        paying.lines._aftersales_check_refunds()
        if 'state' in vals:
            # sudo: the till pays or cancels the refund order of a return it may
            # not read; the return moves along with it.
            self.aftersales_rma_id.sudo()._update_progress()
        return result

    # Actions

    def action_aftersales_return(self):
        self.ensure_one()
        return self.env['aftersales.rma.create']._action_open_for(self)

    def action_view_aftersales_rmas(self):
        self.ensure_one()
        return self._get_aftersales_rmas()[self]._get_records_action(
            name=self.env._("Returns"), context={'create': False},
        )

    def action_view_aftersales_rma(self):
        self.ensure_one()
        return self.aftersales_rma_id._get_records_action(name=self.env._("Return"))

    # Business methods

    def _prepare_refund_values(self, current_session):
        vals = super()._prepare_refund_values(current_session)
        rma_id = self.env.context.get('aftersales_rma_refund_rma_id')
        if rma_id:
            # The goods came back on the return's receipt: nothing is shipped.
            # An invoiced sale is refunded by a credit note, as the till does.
            vals.update(aftersales_rma_id=rma_id, shipping_date=False, to_invoice=bool(self.account_move))
        return vals

    def _get_aftersales_rmas(self):
        """``{order: returns}``: those naming the receipt, those with a line of
        it, and for a refund order the return it refunds; those the user may
        open, in three queries for all the orders."""
        Rma = self.env['aftersales.rma']
        rmas = defaultdict(Rma.browse)
        if not self.ids:
            return rmas
        for order, rma_ids in Rma._read_group(
            [('pos_order_id', 'in', self.ids)], ['pos_order_id'], ['id:array_agg'],
        ):
            rmas[order] |= Rma.browse(rma_ids)
        for order, rma_ids in self.env['aftersales.rma.line']._read_group(
            [('pos_order_line_id.order_id', 'in', self.ids)],
            ['pos_order_line_id.order_id'], ['rma_id:array_agg'],
        ):
            rmas[order] |= Rma.browse(rma_ids)
        refunded = Rma.search([('id', 'in', self.aftersales_rma_id.ids)])
        for order in self.filtered(lambda o: o.aftersales_rma_id in refunded):
            rmas[order] |= order.aftersales_rma_id
        return rmas

    def _aftersales_complete_return_refund(self, shares):
        """Finish a return's refund order made by core's ``_refund``: drop the
        lines the return does not refund, add a line per further serial of a
        receipt line, and total it again."""
        self.ensure_one()
        self.lines.filtered(lambda line: not line.aftersales_rma_line_id).unlink()
        first = {line.refunded_orderline_id.id: line for line in self.lines}
        taken = set(self.lines.aftersales_rma_line_id.ids)
        extra = self.env['pos.order.line']
        for share in shares:
            if share[1] not in taken:
                extra |= first[share[0]].copy(first[share[0]]._aftersales_prepare_share_vals(share))
        for line in extra:
            line._onchange_amount_line_all()
        self._compute_prices()
