from odoo import models


class StockMove(models.Model):
    _inherit = 'stock.move'

    def _get_analytic_distribution(self):
        """Parts added to or removed from a unit under a service contract are
        valued on the contract's analytic account, by stock's own analytic
        lines when the repair is done."""
        account = self.repair_id.aftersales_contract_id.analytic_account_id
        if account and self.repair_line_type in ('add', 'remove'):
            return {str(account.id): 100}
        return super()._get_analytic_distribution()
