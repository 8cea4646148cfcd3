from odoo import api, fields, models


class RepairOrder(models.Model):
    """Repairs of returned goods: linked to the return line they settle, and
    sent back to the customer on the return's delivery once repaired."""

    _inherit = 'repair.order'

    aftersales_rma_line_id = fields.Many2one(
        'aftersales.rma.line', string="Return Line", index='btree_not_null', copy=False,
        readonly=True, ondelete='restrict', check_company=True,
    )
    aftersales_rma_id = fields.Many2one(
        related='aftersales_rma_line_id.rma_id', string="Return", store=True,
        index='btree_not_null',
    )
    aftersales_to_send_back = fields.Boolean(
        string="To Send Back", compute='_compute_aftersales_to_send_back',
        help="Repaired units of the return line wait to go back to the customer.",
    )

    @api.depends('state', 'aftersales_rma_line_id.qty_repair_done',
                 'aftersales_rma_line_id.qty_delivered', 'aftersales_rma_line_id.qty_outgoing')
    def _compute_aftersales_to_send_back(self):
        for repair in self:
            # sudo: the technician sees whether the return waits, not the return.
            line = repair.sudo().aftersales_rma_line_id
            repair.aftersales_to_send_back = bool(line) and repair.state == 'done' \
                and not line.product_uom_id.is_zero(line._get_qty_repaired_to_send())

    @api.constrains('aftersales_rma_line_id', 'product_id', 'lot_id', 'product_qty', 'product_uom',
                    'partner_id', 'state')
    def _check_aftersales_rma_line(self):
        # sudo: the return line is checked, not shown; technicians may not read it.
        self.sudo().aftersales_rma_line_id._check_repairs()

    def action_aftersales_view_rma(self):
        self.ensure_one()
        return self.aftersales_rma_id._get_records_action(name=self.env._("Return"))

    def action_aftersales_send_back(self):
        """Deliver the repaired units back to the customer, on the return's delivery."""
        self.ensure_one()
        return self.aftersales_rma_id.action_return_repaired()
