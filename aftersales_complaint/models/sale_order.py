from odoo import fields, models

COMPLAINT_GROUP = 'aftersales_complaint.aftersales_complaint_group_user'


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    aftersales_complaint_count = fields.Integer(
        compute='_compute_aftersales_complaint_count', string="Complaint Count",
        groups=COMPLAINT_GROUP,
    )

    def _compute_aftersales_complaint_count(self):
        # Counted with the reader's rights: the record rules decide what is seen.
        counts = dict(self.env['aftersales.complaint']._read_group(
            [('sale_order_id', 'in', self.ids)], ['sale_order_id'], ['__count'],
        ))
        for order in self:
            order.aftersales_complaint_count = counts.get(order, 0)

    # Actions

    def action_make_aftersales_complaint(self):
        """File a complaint about the order, or open the one in progress."""
        self.ensure_one()
        complaint = self.env['aftersales.complaint'].search([
            ('sale_order_id', '=', self.id), ('state', 'not in', ('rejected', 'cancelled')),
        ], limit=1) or self.env['aftersales.complaint'].create(self._prepare_aftersales_complaint_vals())
        return complaint._get_form_action()

    def action_view_aftersales_complaints(self):
        self.ensure_one()
        complaints = self.env['aftersales.complaint'].search([('sale_order_id', '=', self.id)])
        if len(complaints) == 1:
            return complaints._get_form_action()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_complaint.aftersales_complaint_action'
        )
        action['domain'] = [('sale_order_id', '=', self.id)]
        action['context'] = {'default_sale_order_id': self.id}
        return action

    # Business methods

    def _prepare_aftersales_complaint_vals(self):
        self.ensure_one()
        return {
            'sale_order_id': self.id,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
            'title': self.env._("Complaint about %(order)s", order=self.name),
            'user_id': self.env.user.id,
        }
