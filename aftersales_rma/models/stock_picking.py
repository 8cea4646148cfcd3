from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    aftersales_rma_id = fields.Many2one(
        'aftersales.rma', string="Return", index='btree_not_null', copy=False, readonly=True,
    )
    # Cases are after-sales documents: the warehouse without after-sales
    # rights must still open its receipts.
    aftersales_case_ids = fields.One2many(
        'aftersales.case', 'aftersales_receipt_id', string="After-Sales Cases",
        groups='aftersales_case.aftersales_group_user',
    )
    aftersales_case_count = fields.Integer(
        string="Case Count", compute='_compute_aftersales_case_count',
        groups='aftersales_case.aftersales_group_user',
    )

    @api.depends('aftersales_case_ids')
    def _compute_aftersales_case_count(self):
        counts = dict(self.env['aftersales.case']._read_group(
            [('aftersales_receipt_id', 'in', self.ids)], ['aftersales_receipt_id'], ['__count'],
        ))
        for picking in self:
            picking.aftersales_case_count = counts.get(picking, 0)

    def _create_backorder_picking(self):
        backorder = super()._create_backorder_picking()
        # The link is copy=False, so stock's copy of the receipt would lose it.
        if self.aftersales_rma_id:
            backorder.aftersales_rma_id = self.aftersales_rma_id
        return backorder

    def action_view_aftersales_rma(self):
        self.ensure_one()
        return self.aftersales_rma_id._get_records_action(name=self.env._("Return"))

    def action_aftersales_report_problem(self):
        """Open a goods-receipt rejection case on this vendor receipt."""
        self.ensure_one()
        self._aftersales_check_vendor_receipt()
        case = self.env['aftersales.case'].create(self._prepare_aftersales_case_vals())
        return case._get_records_action(name=self.env._("Case"))

    def action_view_aftersales_cases(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('aftersales_case.aftersales_case_action')
        action['domain'] = [('aftersales_receipt_id', '=', self.id)]
        action['context'] = {'create': False}
        if self.aftersales_case_count == 1:
            action.update(views=[(False, 'form')], res_id=self.aftersales_case_ids.id)
        return action

    def _aftersales_check_vendor_receipt(self):
        """Only goods arriving from a vendor can be rejected to that vendor:
        customer returns come back through return authorisations."""
        for picking in self:
            if picking.picking_type_code != 'incoming' or picking.state not in ('assigned', 'done') \
                    or picking.location_id.usage != 'supplier' or picking.aftersales_rma_id:
                raise UserError(self.env._(
                    "%(picking)s is not a ready or done receipt from a vendor: report a problem "
                    "on vendor receipts only.", picking=picking.display_name,
                ))
            if not picking.partner_id:
                raise UserError(self.env._(
                    "Receipt %(picking)s has no vendor to report the problem to.",
                    picking=picking.display_name,
                ))

    def _prepare_aftersales_case_vals(self):
        self.ensure_one()
        return {
            'subject': self.env._("Problem with receipt %(picking)s", picking=self.name),
            'type_id': self.env.ref('aftersales_case.type_goods_receipt').id,
            'origin_id': self.env.ref('aftersales_case.origin_internal', raise_if_not_found=False).id,
            'partner_id': self.partner_id.id,
            'supplier_id': self.partner_id.commercial_partner_id.id,
            'product_ids': [Command.set(self.move_ids.product_id.ids)],
            'company_id': self.company_id.id,
            'aftersales_receipt_id': self.id,
        }
