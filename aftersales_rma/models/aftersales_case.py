from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    sale_order_id = fields.Many2one(
        'sale.order', string="Sales Order", index='btree_not_null', check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('state', '=', 'sale')]",
        help="The original order of the goods the case is about.",
    )
    aftersales_receipt_id = fields.Many2one(
        'stock.picking', string="Vendor Receipt", index='btree_not_null', check_company=True,
        copy=False, domain="[('picking_type_code', '=', 'incoming')]",
        help="The goods receipt this case reports a problem with (rejected goods, shortage).",
    )
    aftersales_rma_ids = fields.One2many('aftersales.rma', 'case_id', string="Returns")
    aftersales_rma_count = fields.Integer(compute="_compute_aftersales_rma_count", string="Return Count")

    @api.depends('aftersales_rma_ids')
    @api.depends_context('uid')
    def _compute_aftersales_rma_count(self):
        # With the user's rights, as the list the button opens.
        counts = dict(self.env['aftersales.rma']._read_group(
            [('case_id', 'in', self.ids)], ['case_id'], ['__count'],
        ))
        for case in self:
            case.aftersales_rma_count = counts.get(case, 0)

    # Constraints

    @api.constrains('sale_order_id', 'aftersales_receipt_id', 'partner_id')
    def _check_documents_partner(self):
        """The order is the case's customer's, the vendor receipt a receipt
        from the case's partner: the form's domains do not bind RPC."""
        for case in self:
            order, receipt = case.sale_order_id, case.aftersales_receipt_id
            if order and order.partner_id.commercial_partner_id != case.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Order %(order)s belongs to another customer than case %(case)s.",
                    order=order.name, case=case.name,
                ))
            if receipt and (receipt.picking_type_code != 'incoming'
                            or receipt.partner_id.commercial_partner_id != case.commercial_partner_id):
                raise ValidationError(self.env._(
                    "%(picking)s is not a receipt from the partner of case %(case)s.",
                    picking=receipt.name, case=case.name,
                ))

    @api.model
    def _get_configurable_fields(self):
        return [*super()._get_configurable_fields(), ('sale_order_id', self.env._("Sales Order"))]

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        cases._notify_returns_team()
        return cases

    def write(self, vals):
        result = super().write(vals)
        if 'type_id' in vals:
            self._notify_returns_team()
        return result

    def _notify_returns_team(self):
        """Tell the returns team at once that a customer asks to return goods."""
        activity_type = self.env.ref('aftersales_rma.mail_activity_case_return')
        for case in self.filtered(lambda c: c.type_id.kind == 'return' and not c.aftersales_rma_ids):
            team = case.company_id.aftersales_rma_team_id or case.team_id
            user = team.user_id or case.user_id or self.env.user
            if case.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
                continue
            case.activity_schedule(
                activity_type_id=activity_type.id, user_id=user.id,
                summary=self.env._("Return requested: %(case)s", case=case.name),
            )

    def action_create_aftersales_rma(self):
        """Open the return wizard on the case's order, for the case's customer."""
        self.ensure_one()
        return self.env['aftersales.rma.create']._action_open_for(self)

    def action_view_aftersales_rmas(self):
        self.ensure_one()
        return self.aftersales_rma_ids._get_records_action(name=self.env._("Returns"), context={
            'default_case_id': self.id, 'default_partner_id': self.partner_id.id,
        })
