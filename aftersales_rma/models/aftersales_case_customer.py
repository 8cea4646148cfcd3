from odoo import fields, models
from odoo.fields import Domain


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    customer_rma_count = fields.Integer(
        string="Customer's Open Returns", compute='_compute_customer_counts',
    )
    customer_sale_order_count = fields.Integer(
        string="Customer's Orders", compute='_compute_customer_counts',
    )

    def _get_customer_counts(self):
        counts = super()._get_customer_counts()
        partners = self.commercial_partner_id
        counts['customer_rma_count'] = counts['customer_sale_order_count'] = {}
        if not partners:
            return counts
        if self.env['aftersales.rma'].has_access('read'):
            counts['customer_rma_count'] = {
                partner.id: count for partner, count in self.env['aftersales.rma']._read_group(
                    Domain('commercial_partner_id', 'in', partners.ids)
                    & Domain('state', 'not in', ('done', 'cancel', 'rejected')),
                    ['commercial_partner_id'], ['__count'],
                )
            }
        if self.env['sale.order'].has_access('read'):
            # Agents without sales rights see no order count rather than an error.
            counts['customer_sale_order_count'] = {
                partner.id: count for partner, count in self.env['sale.order']._read_group(
                    Domain('partner_id.commercial_partner_id', 'in', partners.ids)
                    & Domain('state', '=', 'sale'),
                    ['partner_id.commercial_partner_id'], ['__count'],
                )
            }
        return counts

    def action_view_customer_rmas(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('aftersales_rma.aftersales_rma_action')
        action['domain'] = [('commercial_partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {'default_partner_id': self.partner_id.id, 'search_default_filter_open': 1}
        return action

    def action_view_customer_sale_orders(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('sale.action_orders')
        action['domain'] = [('partner_id', 'child_of', self.commercial_partner_id.id), ('state', '=', 'sale')]
        action['context'] = {'create': False}
        return action
