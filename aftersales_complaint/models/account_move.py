from odoo import api, fields, models
from odoo.exceptions import UserError

COMPLAINT_GROUP = 'aftersales_complaint.aftersales_complaint_group_user'
# A complaint still being handled: a posted, rejected or cancelled one is closed.
OPEN_COMPLAINT_STATES = ('draft', 'registered', 'planned', 'fulfilled')


class AccountMove(models.Model):
    _inherit = 'account.move'

    aftersales_complaint_id = fields.Many2one(
        'aftersales.complaint', string="Complaint", readonly=True, copy=False,
        index='btree_not_null', ondelete='restrict', groups=COMPLAINT_GROUP,
        help="The complaint whose sales adjustment this credit note settles.",
    )
    aftersales_complaint_count = fields.Integer(
        compute='_compute_aftersales_complaint_count', string="Complaint Count",
        groups=COMPLAINT_GROUP,
    )

    @api.depends('move_type')
    def _compute_aftersales_complaint_count(self):
        # Counted with the reader's rights: the record rules decide what is seen.
        counts = dict(self.env['aftersales.complaint']._read_group(
            [('invoice_id', 'in', self.ids)], ['invoice_id'], ['__count'],
        ))
        for move in self:
            move.aftersales_complaint_count = counts.get(move, 0)

    # Actions

    def action_make_aftersales_complaint(self):
        """File a complaint about the invoice, or open the one in progress."""
        self.ensure_one()
        if self.move_type != 'out_invoice' or self.state != 'posted':
            raise UserError(self.env._(
                "A complaint can only be made about a posted customer invoice, not %(move)s.",
                move=self.display_name,
            ))
        complaint = self.env['aftersales.complaint'].search([
            ('invoice_id', '=', self.id), ('state', 'not in', ('rejected', 'cancelled')),
        ], limit=1) or self.env['aftersales.complaint'].create(self._prepare_aftersales_complaint_vals())
        return complaint._get_form_action()

    def action_view_aftersales_complaints(self):
        self.ensure_one()
        complaints = self.env['aftersales.complaint'].search([('invoice_id', '=', self.id)])
        if len(complaints) == 1:
            return complaints._get_form_action()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_complaint.aftersales_complaint_action'
        )
        action['domain'] = [('invoice_id', '=', self.id)]
        action['context'] = {'default_invoice_id': self.id}
        return action

    def action_view_aftersales_complaint(self):
        self.ensure_one()
        return self.aftersales_complaint_id._get_form_action()

    # Business methods

    def _prepare_aftersales_complaint_vals(self):
        self.ensure_one()
        return {
            'invoice_id': self.id,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
            'title': self.env._("Complaint about %(invoice)s", invoice=self.name),
            'user_id': self.env.user.id,
        }

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._link_aftersales_complaints()
        return posted

    def _link_aftersales_complaints(self):
        """Cite the new invoice on the open complaints about the orders it bills."""
        invoices = self.filtered(lambda move: move.move_type == 'out_invoice')
        orders = invoices.invoice_line_ids.sale_line_ids.order_id
        if not orders:
            return
        # sudo: whoever posts the invoice (an accountant) need not handle
        # complaints; only complaints about the orders just invoiced are touched.
        complaints = self.env['aftersales.complaint'].sudo().search([
            ('sale_order_id', 'in', orders.ids),
            ('invoice_id', '=', False),
            ('state', 'in', OPEN_COMPLAINT_STATES),
        ])
        for complaint in complaints:
            invoice = invoices.filtered(
                lambda move, complaint=complaint: move.company_id == complaint.company_id
                and complaint.sale_order_id in move.invoice_line_ids.sale_line_ids.order_id
            )[:1]
            if invoice:
                complaint._link_invoice(invoice)
