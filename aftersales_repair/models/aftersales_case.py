from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    aftersales_repair_ids = fields.One2many(
        'repair.order', 'aftersales_case_id', string="Repairs", groups='stock.group_stock_user',
    )
    aftersales_repair_count = fields.Integer(
        string="Repair Count", compute='_compute_aftersales_repair_count',
        groups='stock.group_stock_user',
    )

    @api.depends('aftersales_repair_ids')
    @api.depends_context('uid')
    def _compute_aftersales_repair_count(self):
        # With the user's rights, as the list the button opens.
        counts = dict(self.env['repair.order']._read_group(
            [('aftersales_case_id', 'in', self.ids)], ['aftersales_case_id'], ['__count'],
        ))
        for case in self:
            case.aftersales_repair_count = counts.get(case, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_repaired(self):
        # sudo: a repair the user may not read still keeps the case.
        repaired = self.sudo().aftersales_repair_ids.aftersales_case_id
        if repaired:
            raise UserError(self.env._(
                "Cases with repairs are kept: close them instead (%(cases)s).",
                cases=", ".join(repaired.mapped('name')),
            ))

    def action_create_aftersales_repair(self):
        """Open a repair order for the product the case is about, brought in now."""
        self.ensure_one()
        self.check_access('write')
        repair = self.env['repair.order'].create(self._prepare_aftersales_repair_vals())
        return repair._get_records_action(name=self.env._("Repair"))

    def action_view_aftersales_repairs(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('aftersales_repair.repair_order_action')
        action['domain'] = [('aftersales_case_id', '=', self.id)]
        action['context'] = {'create': False}
        if self.aftersales_repair_count == 1:
            action.update(views=[(False, 'form')], res_id=self.aftersales_repair_ids.id)
        return action

    def _prepare_aftersales_repair_vals(self):
        self.ensure_one()
        return {
            'partner_id': self.partner_id.id,
            'product_id': self.product_ids[:1].id,
            'aftersales_case_id': self.id,
            'internal_notes': self.description,
            'company_id': self.company_id.id,
        }
