from odoo import fields, models

# Who reads returns (aftersales_rma's and this module's access rules): to
# others, a transfer's or credit note's return is no field at all.
VENDOR_RETURN_READERS = 'aftersales_case.aftersales_group_user,account.group_account_invoice,' \
    'stock.group_stock_user,purchase.group_purchase_user'


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    aftersales_vendor_rma_id = fields.Many2one(
        'aftersales.rma', string="Return to Vendor Of", index='btree_not_null', copy=False,
        readonly=True, groups=VENDOR_RETURN_READERS,
        help="The customer return whose goods this transfer takes back to the vendor.",
    )
    aftersales_vendor_case_id = fields.Many2one(
        'aftersales.case', string="Rejected On Case", index='btree_not_null', copy=False,
        readonly=True, groups='aftersales_case.aftersales_group_user',
        help="The goods-receipt case whose rejected goods this transfer takes back to the vendor.",
    )

    def _create_backorder_picking(self):
        backorder = super()._create_backorder_picking()
        # The links are copy=False, so stock's copy of the transfer would lose
        # them. sudo: the warehouse user validating may not read the case.
        picking = self.sudo()
        if picking.aftersales_vendor_rma_id or picking.aftersales_vendor_case_id:
            backorder.sudo().write({
                'aftersales_vendor_rma_id': picking.aftersales_vendor_rma_id.id,
                'aftersales_vendor_case_id': picking.aftersales_vendor_case_id.id,
            })
        return backorder

    def action_view_aftersales_vendor_rma(self):
        self.ensure_one()
        return self.aftersales_vendor_rma_id._get_records_action(name=self.env._("Return"))

    def action_view_aftersales_vendor_case(self):
        self.ensure_one()
        return self.aftersales_vendor_case_id._get_records_action(name=self.env._("Case"))
