from odoo import api, fields, models


class AftersalesWarranty(models.Model):
    """Finding the registration of a serial number, and the claims on it."""

    _inherit = 'aftersales.warranty'

    claim_ids = fields.One2many('aftersales.warranty.claim', 'registration_id', string="Claims")
    claim_count = fields.Integer(string="Number of Claims", compute='_compute_claim_count')

    def _compute_claim_count(self):
        counts = dict(self.env['aftersales.warranty.claim']._read_group(
            [('registration_id', 'in', self.ids)], ['registration_id'], ['__count'],
        ))
        for registration in self:
            registration.claim_count = counts.get(registration, 0)

    @api.model
    def _get_by_lots(self, lots):
        """``{lot: registration}``: the registration holding each of ``lots``
        (voided ones hold nothing), in one search."""
        if not lots:
            return {}
        registrations = self.search([('lot_id', 'in', lots.ids), ('state', '!=', 'void')])
        return {registration.lot_id: registration for registration in registrations}

    def action_view_claims(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_warranty.aftersales_warranty_claim_action'
        )
        action['domain'] = [('registration_id', '=', self.id)]
        action['context'] = {
            'default_registration_id': self.id, 'default_partner_id': self.partner_id.id,
            'default_lot_id': self.lot_id.id,
        }
        return action

    def action_print_history(self):
        """The after-sales history of the registered serial."""
        self.ensure_one()
        return self.lot_id.action_aftersales_print_history()
