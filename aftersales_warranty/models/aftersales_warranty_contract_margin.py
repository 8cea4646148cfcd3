from collections import defaultdict

from odoo import api, fields, models


class AftersalesWarrantyContract(models.Model):
    """The margin of a service contract: its invoiced fees less the costs of
    the repairs of the units it covers."""

    _inherit = 'aftersales.warranty.contract'

    repair_ids = fields.One2many('repair.order', 'aftersales_contract_id', string="Repairs")
    repair_count = fields.Integer(compute='_compute_repair_count')
    amount_invoiced = fields.Monetary(
        string="Invoiced", compute='_compute_margin', currency_field='currency_id',
        help="The posted invoices of the contract's periods, untaxed.",
    )
    repair_cost = fields.Monetary(
        string="Repair Costs", compute='_compute_margin', currency_field='currency_id',
        help="Parts consumed by the done repairs of the covered units at their stock value, "
             "and their operations at the cost of their product.",
    )
    margin = fields.Monetary(compute='_compute_margin', currency_field='currency_id')

    # What the count is depends on who reads: his rights on repairs.
    @api.depends_context('uid')
    def _compute_repair_count(self):
        Repair = self.env['repair.order']
        counts = dict(Repair._read_group(
            [('aftersales_contract_id', 'in', self.ids)], ['aftersales_contract_id'], ['__count'],
        )) if Repair.has_access('read') else {}
        for contract in self:
            contract.repair_count = counts.get(contract, 0)

    def _compute_margin(self):
        invoiced = self._get_invoiced_amounts()
        costs = self._get_repair_costs()
        for contract in self:
            contract.amount_invoiced = invoiced.get(contract.id, 0.0)
            contract.repair_cost = costs.get(contract.id, 0.0)
            contract.margin = contract.amount_invoiced - contract.repair_cost

    def _get_invoiced_amounts(self):
        """``{contract id: untaxed amount}`` of the posted invoices of the periods."""
        # sudo: whoever reads the contract reads its margin, accountant or not.
        Period = self.env['aftersales.warranty.contract.period'].sudo()
        amounts = defaultdict(float)
        for contract, invoice in Period._read_group(
            [('contract_id', 'in', self.ids), ('invoice_id.state', '=', 'posted')],
            ['contract_id', 'invoice_id'],
        ):
            amounts[contract.id] += invoice.amount_untaxed_signed
        return amounts

    def _get_repair_costs(self):
        """``{contract id: cost}`` of the done repairs: parts added at their stock
        value less parts taken out, operations at their product's cost."""
        # sudo: the costs are the contract's, whatever the reader's repair rights.
        costs = defaultdict(float)
        done = [('repair_id.aftersales_contract_id', 'in', self.ids), ('repair_id.state', '=', 'done')]
        for repair, line_type, value in self.env['stock.move'].sudo()._read_group(
            [*done, ('state', '=', 'done'), ('repair_line_type', 'in', ('add', 'remove'))],
            ['repair_id', 'repair_line_type'], ['value:sum'],
        ):
            sign = 1 if line_type == 'add' else -1
            costs[repair.aftersales_contract_id.id] += sign * value
        for repair, product, quantity in self.env['aftersales.repair.operation'].sudo()._read_group(
            done, ['repair_id', 'product_id'], ['quantity:sum'],
        ):
            costs[repair.aftersales_contract_id.id] += product.standard_price * quantity
        return costs

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('repair.action_repair_order_tree')
        action['domain'] = [('aftersales_contract_id', '=', self.id)]
        action['context'] = {'create': False}
        return action
