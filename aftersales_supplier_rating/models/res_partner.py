from odoo import fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    aftersales_supplier_report_count = fields.Integer(
        compute='_compute_aftersales_supplier_report_count', string="Supplier Rating Count",
        groups='aftersales_case.aftersales_group_manager',
    )

    def _compute_aftersales_supplier_report_count(self):
        # One query for every partner shown, the report's company rule applying.
        counts = dict(self.env['aftersales.supplier.report']._read_group(
            [('supplier_id', 'in', self.ids)], ['supplier_id'], ['__count'],
        ))
        for partner in self:
            partner.aftersales_supplier_report_count = counts.get(partner, 0)

    def action_view_aftersales_supplier_rating(self):
        """The supplier rating of this supplier, in the pivot."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_supplier_rating.aftersales_supplier_report_action'
        )
        action['domain'] = [('supplier_id', '=', self.id)]
        action['display_name'] = self.env._("Supplier Rating: %(supplier)s", supplier=self.display_name)
        return action
