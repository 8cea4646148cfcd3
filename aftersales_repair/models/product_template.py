from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    aftersales_standard_minutes = fields.Float(
        string="Standard Time (min)", digits=(16, 1),
        help="How long one unit of this repair operation should take, in minutes: "
             "operations' execution times are compared with it.",
    )
    aftersales_repair_problem_count = fields.Integer(
        string="Repair Problems", compute='_compute_aftersales_repair_problem_count',
        groups='aftersales_repair.aftersales_repair_group_technician',
    )

    def _compute_aftersales_repair_problem_count(self):
        # The user's own rights: the analysis's company rule counts his repairs only.
        counts = dict(self.env['aftersales.repair.problem.report']._read_group(
            [('product_tmpl_id', 'in', self._origin.ids)], ['product_tmpl_id'], ['__count'],
        ))
        for template in self:
            template.aftersales_repair_problem_count = counts.get(template._origin, 0)

    def action_aftersales_view_repair_problems(self):
        """The repairs of the product, by lot and year of manufacture."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_repair.aftersales_repair_problem_report_action')
        action['domain'] = [('product_tmpl_id', '=', self.id)]
        action['context'] = {'pivot_row_groupby': ['lot_id'], 'pivot_column_groupby': ['manufacture_year']}
        return action
