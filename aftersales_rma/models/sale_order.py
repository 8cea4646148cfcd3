from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    aftersales_rma_ids = fields.One2many('aftersales.rma', 'sale_order_id', string="Returns")
    aftersales_rma_count = fields.Integer(
        compute='_compute_aftersales_rma_count', string="Return Count",
    )
    aftersales_can_return = fields.Boolean(
        compute='_compute_aftersales_can_return', string="Can Return",
        help="Goods were delivered: the Return button shows.",
    )

    @api.depends('order_line.aftersales_rma_line_ids')
    def _compute_aftersales_rma_count(self):
        rmas = dict(self.env['aftersales.rma.line'].sudo()._read_group(
            [('sale_line_id.order_id', 'in', self.ids)],
            ['sale_line_id.order_id'], ['rma_id:count_distinct'],
        ))
        for order in self:
            order.aftersales_rma_count = rmas.get(order, 0)

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
        rmas = self.env['aftersales.rma.line'].search(
            [('sale_line_id.order_id', '=', self.id)]
        ).rma_id | self.aftersales_rma_ids
        return rmas._get_records_action(name=self.env._("Returns"), context={
            'default_sale_order_id': self.id, 'default_partner_id': self.partner_id.id,
        })
