from odoo import api, fields, models


class RepairOrder(models.Model):
    _name = 'repair.order'
    _inherit = ['repair.order', 'aftersales.warranty.holder']

    aftersales_warranty_claim_ids = fields.One2many(
        'aftersales.warranty.claim', 'repair_id', string="Warranty Claims",
        groups='aftersales_warranty.aftersales_warranty_group_user',
    )
    # No field groups: the parts' stock moves and the repair's sale order read
    # it whoever validates them; the form shows it to warranty users only.
    aftersales_contract_id = fields.Many2one(
        'aftersales.warranty.contract', string="Service Contract", index='btree_not_null',
        compute='_compute_aftersales_contract_id', store=True, readonly=False, copy=False,
        check_company=True,
        help="The running service contract covering the unit: the repair's costs land on its "
             "analytic account.",
    )

    @api.depends('lot_id', 'partner_id', 'company_id')
    def _compute_aftersales_contract_id(self):
        # sudo: technicians repair units whatever their warranty rights; the
        # contract is looked up once per batch for all the serials.
        registrations = self.env['aftersales.warranty'].sudo()._get_by_lots(self.lot_id)
        contracts = self.env['aftersales.warranty.contract'].sudo().search([
            ('state', '=', 'running'),
            ('registration_ids', 'in', [r.id for r in registrations.values()]),
        ]) if registrations else self.env['aftersales.warranty.contract']
        for repair in self:
            registration = registrations.get(repair.lot_id)
            # Another customer's unit is not covered by this customer's contract.
            if not registration or (
                registration.commercial_partner_id != repair.partner_id.commercial_partner_id
            ):
                repair.aftersales_contract_id = False
                continue
            contract = contracts.filtered(
                lambda c, r=registration, company=repair.company_id: (
                    r in c.registration_ids and c.company_id == company
                )
            )[:1]
            repair.aftersales_contract_id = contract.with_env(self.env)
