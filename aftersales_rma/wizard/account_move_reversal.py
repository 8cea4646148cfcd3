from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = 'account.move.reversal'

    def _prepare_default_reversal(self, move):
        vals = super()._prepare_default_reversal(move)
        if self.env.context.get('aftersales_rma_reversal'):
            # A credit note for returned goods keeps the invoice's payment terms.
            vals['invoice_payment_term_id'] = move.invoice_payment_term_id.id
            vals.pop('invoice_date_due', None)
        return vals
