from odoo import fields, models

from .stock_picking import VENDOR_RETURN_READERS


class AccountMove(models.Model):
    _inherit = 'account.move'

    aftersales_vendor_rma_id = fields.Many2one(
        'aftersales.rma', string="Vendor Credit Of", index='btree_not_null', copy=False,
        readonly=True, groups=VENDOR_RETURN_READERS,
        help="The customer return whose goods, sent back to the vendor, this credit note credits.",
    )
    aftersales_vendor_case_id = fields.Many2one(
        'aftersales.case', string="Vendor Credit On Case", index='btree_not_null', copy=False,
        readonly=True, groups='aftersales_case.aftersales_group_user',
        help="The goods-receipt case whose rejected goods this credit note credits.",
    )

    def action_view_aftersales_vendor_rma(self):
        self.ensure_one()
        return self.aftersales_vendor_rma_id._get_records_action(name=self.env._("Return"))

    def action_view_aftersales_vendor_case(self):
        self.ensure_one()
        return self.aftersales_vendor_case_id._get_records_action(name=self.env._("Case"))
