from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    line_ids = fields.One2many('aftersales.case.line', 'case_id', string="Time and Material")
    tm_hours = fields.Float(
        string="Time (hours)", compute='_compute_tm_totals',
        help="Hours spent on the case, from its time lines in a unit of time.",
    )
    tm_time_amount = fields.Monetary(string="Time Amount", compute='_compute_tm_totals')
    tm_material_amount = fields.Monetary(string="Material Amount", compute='_compute_tm_totals')
    tm_cost = fields.Monetary(
        string="Time and Material Cost", compute='_compute_tm_totals',
        help="What the time and material of the case cost, at the products' cost.",
    )
    tm_to_invoice_amount = fields.Monetary(string="To Invoice", compute='_compute_tm_totals')
    invoice_count = fields.Integer(compute='_compute_invoice_count')

    # Compute methods

    # Summed from the lines in memory rather than with a _read_group, so that
    # the form's totals follow the lines being edited; line_ids and the lines'
    # fields are prefetched for all the cases at once.
    @api.depends('line_ids.hours', 'line_ids.price_subtotal', 'line_ids.cost',
                 'line_ids.invoice_status', 'line_ids.line_type')
    def _compute_tm_totals(self):
        for case in self:
            lines = case.line_ids
            time_lines = lines.filtered(lambda line: line.line_type == 'time')
            case.tm_hours = sum(time_lines.mapped('hours'))
            case.tm_time_amount = sum(time_lines.mapped('price_subtotal'))
            case.tm_material_amount = sum((lines - time_lines).mapped('price_subtotal'))
            case.tm_cost = sum(lines.mapped('cost'))
            case.tm_to_invoice_amount = sum(
                lines.filtered(
                    lambda line: line.invoice_status == 'to_invoice'
                ).mapped('price_subtotal')
            )

    @api.depends('line_ids.invoice_id')
    def _compute_invoice_count(self):
        for case in self:
            case.invoice_count = len(case.line_ids.invoice_id)

    # CRUD methods

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        # The lines would go with the case and their invoices would lose
        # where they come from.
        invoiced = self.filtered(
            lambda case: any(status == 'invoiced' for status in case.line_ids.mapped('invoice_status'))
        )
        if invoiced:
            raise UserError(self.env._(
                "Case %(cases)s has invoiced time and material: archive it instead.",
                cases=", ".join(invoiced.mapped('display_name')),
            ))

    # Actions

    def action_view_invoices(self):
        self.ensure_one()
        return self.env['aftersales.case.line']._action_view_invoices(self.line_ids.invoice_id)
