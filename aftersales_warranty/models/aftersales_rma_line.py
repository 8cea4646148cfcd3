from odoo import models


class AftersalesRmaLine(models.Model):
    _name = 'aftersales.rma.line'
    _inherit = ['aftersales.rma.line', 'aftersales.warranty.holder']

    def _prepare_repair_vals(self, lot, location, receipt, qty):
        vals = super()._prepare_repair_vals(lot, location, receipt, qty)
        if self.rma_id.aftersales_under_warranty:
            vals['under_warranty'] = True
        return vals
