from odoo import fields, models


class AftersalesWarrantyContractPeriod(models.Model):
    _name = 'aftersales.warranty.contract.period'
    _description = "Invoiced Period of a Service Contract"
    _order = 'contract_id, date_start'

    contract_id = fields.Many2one(
        'aftersales.warranty.contract', required=True, ondelete='cascade', index=True,
    )
    company_id = fields.Many2one(related='contract_id.company_id', store=True)
    date_start = fields.Date(required=True)
    date_end = fields.Date(required=True)
    invoice_id = fields.Many2one('account.move', index='btree_not_null')

    # The guard against invoicing a period twice, whatever a run met.
    _contract_period_unique = models.Constraint(
        'UNIQUE(contract_id, date_start)', "This period of the contract is already invoiced.",
    )
