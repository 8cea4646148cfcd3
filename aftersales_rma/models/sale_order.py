from collections import defaultdict

from odoo import api, fields, models

# The groups that read returns (security/ir.model.access.csv): to others, an
# order's or invoice's returns are no field at all rather than an error.
RETURN_READERS = 'aftersales_case.aftersales_group_user,account.group_account_invoice,stock.group_stock_user'


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    aftersales_rma_ids = fields.One2many(
        'aftersales.rma', 'sale_order_id', string="Returns", groups=RETURN_READERS,
    )
    aftersales_rma_count = fields.Integer(
        compute='_compute_aftersales_rma_count', string="Return Count", groups=RETURN_READERS,
    )
    aftersales_can_return = fields.Boolean(
        compute='_compute_aftersales_can_return', string="Can Return",
        help="Goods were delivered: the Return button shows.",
    )

    @api.depends('order_line.aftersales_rma_line_ids', 'aftersales_rma_ids')
    @api.depends_context('uid')
    def _compute_aftersales_rma_count(self):
        rmas = self._get_aftersales_rmas()
        for order in self:
            order.aftersales_rma_count = len(rmas[order])

    @api.depends('state', 'order_line.qty_delivered')
    def _compute_aftersales_can_return(self):
        for order in self:
            order.aftersales_can_return = order.state == 'sale' and any(
                line.product_id.type == 'consu' and line.qty_delivered > 0
                for line in order.order_line
            )

    def _get_invoiceable_lines(self, final=False):
        lines = super()._get_invoiceable_lines(final)
        only = self.env.context.get('aftersales_rma_sale_line_ids')
        if only is not None:
            # A return credits its own lines, not whatever else the order
            # still has to invoice.
            lines = lines.filtered(lambda line: line.id in only)
        return lines

    def action_aftersales_return(self):
        self.ensure_one()
        return self.env['aftersales.rma.create']._action_open_for(self)

    def action_view_aftersales_rmas(self):
        self.ensure_one()
        return self._get_aftersales_rmas()[self]._get_records_action(
            name=self.env._("Returns"), context={
                'default_sale_order_id': self.id, 'default_partner_id': self.partner_id.id,
            },
        )

    def _get_aftersales_rmas(self):
        """``{order: returns}``: those naming the order and those with a line
        of it, which the user may open. The count and the list go by the
        same rights, in two queries for all the orders."""
        Rma = self.env['aftersales.rma']
        rmas = defaultdict(Rma.browse)
        if not self.ids:
            return rmas
        for order, rma_ids in Rma._read_group(
            [('sale_order_id', 'in', self.ids)], ['sale_order_id'], ['id:array_agg'],
        ):
            rmas[order] |= Rma.browse(rma_ids)
        for order, rma_ids in self.env['aftersales.rma.line']._read_group(
            [('sale_line_id.order_id', 'in', self.ids)],
            ['sale_line_id.order_id'], ['rma_id:array_agg'],
        ):
            rmas[order] |= Rma.browse(rma_ids)
        return rmas
