from odoo import fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = 'account.move'

    aftersales_warranty_ids = fields.One2many(
        'aftersales.warranty', 'invoice_id', string="Warranty Registrations",
        groups='aftersales_warranty.aftersales_warranty_group_user',
    )
    aftersales_warranty_count = fields.Integer(
        string="Registrations", compute='_compute_aftersales_warranty_count',
        groups='aftersales_warranty.aftersales_warranty_group_user',
    )

    def _compute_aftersales_warranty_count(self):
        counts = dict(self.env['aftersales.warranty']._read_group(
            [('invoice_id', 'in', self.ids)], ['invoice_id'], ['__count'],
        ))
        for move in self:
            move.aftersales_warranty_count = counts.get(move, 0)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        invoices = posted.filtered(
            lambda m: m.move_type == 'out_invoice'
            and m.company_id.aftersales_warranty_registration_trigger == 'invoice'
        )
        if invoices:
            # Whoever posts (an accountant) need not manage warranties: the
            # registrations follow from the invoice they were allowed to post.
            self.env['aftersales.warranty'].sudo()._register_invoice_lines(
                invoices.invoice_line_ids.filtered(lambda line: line.display_type == 'product'),
            )
        return posted

    def action_aftersales_register_warranties(self):
        """Register the units of these posted customer invoices, whatever the
        company's automatic registration: for invoices posted before it, or
        registered from deliveries that never came."""
        if self.filtered(lambda m: m.move_type != 'out_invoice' or m.state != 'posted'):
            raise UserError(self.env._("Only posted customer invoices register warranties."))
        self.env['aftersales.warranty']._register_invoice_lines(
            self.invoice_line_ids.filtered(lambda line: line.display_type == 'product'),
        )
        return self.action_view_aftersales_warranties()

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_warranty.aftersales_warranty_action'
        )
        action['domain'] = [('invoice_id', '=', self.id)]
        action['context'] = {'create': False}
        return action
