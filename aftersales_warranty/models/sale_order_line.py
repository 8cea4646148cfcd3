from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = 'sale.order.line'

    @api.depends('order_id.repair_order_ids.aftersales_contract_id')
    def _compute_analytic_distribution(self):
        """What a repair under a service contract invoices lands on the
        contract's analytic account, next to its fees and its costs."""
        res = super()._compute_analytic_distribution()
        # sudo: salespeople need not read repairs for their lines to be right.
        for line in self.sudo().filtered(lambda sol: not sol.display_type):
            account = line.order_id.repair_order_ids.aftersales_contract_id.analytic_account_id[:1]
            if account:
                line.with_env(self.env).analytic_distribution = {str(account.id): 100}
        return res
