from odoo import api, fields, models
from odoo.exceptions import UserError

# Reaching one of these states closes the complaint's dispute: its holds go.
RELEASING_STATES = ('fulfilled', 'rejected', 'cancelled')


class AftersalesComplaint(models.Model):
    _inherit = 'aftersales.complaint'

    hold_ids = fields.One2many('aftersales.complaint.hold', 'complaint_id', string="Dunning Holds")
    hold_count = fields.Integer(compute='_compute_hold_count', string="Held Invoices")

    @api.depends('hold_ids.state')
    def _compute_hold_count(self):
        counts = dict(self.env['aftersales.complaint.hold']._read_group(
            [('complaint_id', 'in', self.ids), ('state', '=', 'active')], ['complaint_id'], ['__count'],
        ))
        for complaint in self:
            complaint.hold_count = counts.get(complaint._origin, 0)

    # CRUD methods

    def write(self, vals):
        result = super().write(vals)
        if vals.get('state') in RELEASING_STATES:
            # sudo: the step was checked by write; closing a complaint
            # releases its holds whoever closes it, whatever the client.
            holds = self.env['aftersales.complaint.hold'].sudo().search([
                ('complaint_id', 'in', self.ids), ('state', '=', 'active'),
            ])
            holds._release()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        held = self.env['aftersales.complaint.hold'].sudo().with_context(active_test=False).search([
            ('complaint_id', 'in', self.ids),
        ]).complaint_id
        if held:
            raise UserError(self.env._(
                "Complaints %(names)s held invoices from dunning: archive them instead of deleting them.",
                names=", ".join(held.mapped('name')),
            ))

    # Actions

    def action_hold_invoice(self):
        """Hold the cited invoice from dunning while the complaint is open."""
        self.ensure_one()
        if not self.invoice_id:
            raise UserError(self.env._(
                "Complaint %(name)s cites no invoice: add the invoices to hold on its Dunning page.",
                name=self.name,
            ))
        if self.invoice_id in self.hold_ids.filtered(lambda hold: hold.state == 'active').move_id:
            raise UserError(self.env._(
                "Complaint %(name)s already holds invoice %(move)s.",
                name=self.name, move=self.invoice_id.display_name,
            ))
        self.env['aftersales.complaint.hold'].create([self._prepare_hold_vals(self.invoice_id)])

    def action_view_holds(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_complaint.aftersales_complaint_hold_action',
        )
        action['domain'] = [('complaint_id', '=', self.id)]
        action['context'] = {'create': False}
        return action

    # Business methods

    def _prepare_hold_vals(self, move):
        self.ensure_one()
        return {'complaint_id': self.id, 'move_id': move.id}
