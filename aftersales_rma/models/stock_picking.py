from odoo import fields, models


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    aftersales_rma_id = fields.Many2one(
        'aftersales.rma', string="Return", index='btree_not_null', copy=False, readonly=True,
    )

    def action_view_aftersales_rma(self):
        self.ensure_one()
        return self.aftersales_rma_id._get_records_action(name=self.env._("Return"))
