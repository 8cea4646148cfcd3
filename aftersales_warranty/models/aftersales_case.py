from odoo import api, fields, models


class AftersalesCase(models.Model):
    _name = 'aftersales.case'
    _inherit = ['aftersales.case', 'aftersales.warranty.holder']

    aftersales_lot_id = fields.Many2one(
        'stock.lot', string="Serial Number", index='btree_not_null', check_company=True, tracking=True,
        help="The unit the case is about: its warranty registration is looked up.",
    )

    # For warranty users only: agents without warranty rights read no schedule.
    aftersales_maintenance_id = fields.Many2one(
        'aftersales.warranty.maintenance', string="Planned Maintenance", index='btree_not_null',
        readonly=True, copy=False, groups='aftersales_warranty.aftersales_warranty_group_user',
    )
    aftersales_maintenance_date = fields.Date(
        string="Maintenance Due Date", readonly=True, copy=False,
        groups='aftersales_warranty.aftersales_warranty_group_user',
    )

    def _get_aftersales_warranty_lot(self):
        self.ensure_one()
        return self.aftersales_lot_id

    @api.depends('partner_id', 'commercial_partner_id')
    def _compute_sla_id(self):
        """A customer's running service contract sets the level of its cases;
        the other cases keep the first matching policy."""
        super()._compute_sla_id()
        customers = self.commercial_partner_id
        if not customers:
            return
        contracts = self.env['aftersales.warranty.contract'].sudo().search([
            ('state', '=', 'running'), ('partner_id', 'in', customers.ids), ('sla_id', '!=', False),
        ])
        for case in self:
            contract = next((c for c in contracts if c.partner_id == case.commercial_partner_id
                             and c.company_id == case.company_id), None)
            if contract:
                case.sla_id = contract.sla_id
