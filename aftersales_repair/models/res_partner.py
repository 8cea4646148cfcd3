from odoo import fields, models


class ResPartner(models.Model):
    """A vendor's products that came back for repair: the supplier side of
    the repair problems analysis."""

    _inherit = 'res.partner'

    aftersales_repair_problem_count = fields.Integer(
        string="Repair Problems", compute='_compute_aftersales_repair_problem_count',
        groups='aftersales_repair.aftersales_repair_group_manager',
    )

    def _compute_aftersales_repair_problem_count(self):
        # The user's own rights: the analysis's company rule counts his repairs only.
        counts = dict(self.env['aftersales.repair.problem.report']._read_group(
            [('vendor_id', 'in', self._origin.ids)], ['vendor_id'], ['__count'],
        ))
        for partner in self:
            partner.aftersales_repair_problem_count = counts.get(partner._origin, 0)

    def action_aftersales_view_repair_problems(self):
        """The repairs of the products the vendor supplies, by product and lot."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_repair.aftersales_repair_problem_report_action')
        action['domain'] = [('vendor_id', '=', self.id)]
        action['context'] = {'pivot_row_groupby': ['product_id', 'lot_id']}
        return action
