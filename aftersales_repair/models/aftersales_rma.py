from markupsafe import Markup

from odoo import api, fields, models


class AftersalesRma(models.Model):
    """Returns whose goods are repaired: repairs opened from the received
    units, and the repaired units delivered back with the goods sent back as
    they are."""

    _inherit = 'aftersales.rma'

    repair_ids = fields.One2many(
        'repair.order', 'aftersales_rma_id', string="Repairs", groups='stock.group_stock_user',
    )
    repair_count = fields.Integer(compute='_compute_repair_count', groups='stock.group_stock_user')

    @api.depends('repair_ids')
    @api.depends_context('uid')
    def _compute_repair_count(self):
        # With the user's rights, as the list the button opens.
        counts = dict(self.env['repair.order']._read_group(
            [('aftersales_rma_id', 'in', self.ids)], ['aftersales_rma_id'], ['__count'],
        ))
        for rma in self:
            rma.repair_count = counts.get(rma, 0)

    @api.depends('line_ids.qty_in_repair', 'line_ids.qty_repair_done')
    def _compute_pending_actions(self):  # pylint: disable=missing-return
        super()._compute_pending_actions()
        for rma in self.filtered(lambda r: r.state in ('receiving', 'received')):
            if any(not line.product_uom_id.is_zero(line._get_qty_repaired_to_send())
                   for line in rma.line_ids):
                rma.pending_actions += 'repaired '

    # Actions

    def action_create_repair(self):
        """Open a repair order for each unit received on repair lines and not in repair yet."""
        # Repairs are the warehouse's documents in core: only who may make them does.
        self.env['repair.order'].check_access('create')
        rmas = self._start_action(('receiving', 'received'), self.env._("repaired"))
        repairs = rmas._create_repairs(rmas._lines_waiting('repair'))
        return self._action_view(repairs, 'aftersales_repair.repair_order_action')

    def action_return_repaired(self):
        """Deliver the repaired units back, with any goods sent back as they are."""
        return self.action_return_goods()

    def action_view_repairs(self):
        self.ensure_one()
        return self._action_view(self.repair_ids, 'aftersales_repair.repair_order_action')

    # Business methods

    def _create_repairs(self, lines):
        """Repairs of the units of ``lines`` not in repair yet, noted on their returns."""
        repairs = self.env['repair.order'].create([
            vals for line in lines for vals in line._prepare_repair_vals_list()
        ])
        for rma, rma_repairs in repairs.grouped('aftersales_rma_id').items():
            links = Markup(", ").join(repair._get_html_link() for repair in rma_repairs)
            rma.message_post(body=Markup("%s %s") % (self.env._("Sent to repair:"), links))
        return repairs

    def _lines_waiting(self, resolution):
        """Repaired units go back to the customer as the goods sent back as they are do."""
        if resolution == 'return':
            repaired = self.line_ids.filtered(
                lambda line: not line.product_uom_id.is_zero(line._get_qty_repaired_to_send())
            )
            if repaired:
                as_is = self.line_ids.filtered(
                    lambda line: line.resolution == 'return'
                    and not line.product_uom_id.is_zero(line._get_qty_waiting())
                )
                return repaired | as_is
        return super()._lines_waiting(resolution)
