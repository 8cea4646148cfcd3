from odoo import api, fields, models

from .sale_order import RETURN_READERS


class AccountMove(models.Model):
    _inherit = 'account.move'

    aftersales_rma_ids = fields.Many2many(
        'aftersales.rma', string="Returns", compute='_compute_aftersales_rma_ids',
        groups=RETURN_READERS,
    )
    aftersales_rma_count = fields.Integer(compute='_compute_aftersales_rma_ids', groups=RETURN_READERS)

    @api.depends('invoice_line_ids.aftersales_rma_line_id')
    @api.depends_context('uid')
    def _compute_aftersales_rma_ids(self):
        # A credit note shows the returns it credits; an invoice those made from
        # it or credited against it: those the user may open, as the list the
        # button opens.
        lines = self.env['aftersales.rma.line'].search([
            '|', '|', ('credit_line_ids.move_id', 'in', self.ids),
            ('credit_line_ids.move_id.reversed_entry_id', 'in', self.ids),
            ('invoice_line_id.move_id', 'in', self.ids),
        ])
        rmas_by_header = self.env['aftersales.rma'].search([('invoice_id', 'in', self.ids)])
        for move in self:
            rmas = lines.filtered(
                lambda line, move=move: (
                    move in line.credit_line_ids.move_id
                    or move in line.credit_line_ids.move_id.reversed_entry_id
                    or line.invoice_line_id.move_id == move
                )
            ).rma_id | rmas_by_header.filtered(lambda r, move=move: r.invoice_id == move)
            move.aftersales_rma_ids = rmas
            move.aftersales_rma_count = len(rmas)

    def action_aftersales_return(self):
        self.ensure_one()
        return self.env['aftersales.rma.create']._action_open_for(self)

    def action_view_aftersales_rmas(self):
        self.ensure_one()
        return self.aftersales_rma_ids._get_records_action(
            name=self.env._("Returns"), context={'create': False},
        )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._aftersales_update_returns()
        return posted

    def button_cancel(self):
        result = super().button_cancel()
        self._aftersales_update_returns()
        return result

    def button_draft(self):
        result = super().button_draft()
        self._aftersales_update_returns()
        return result

    def _aftersales_update_returns(self):
        # sudo: accounting posts credit notes of returns it may only read.
        self.line_ids.aftersales_rma_line_id.rma_id.sudo()._update_progress()

    def _aftersales_link_reversed_invoice(self, sale_lines):
        """Link credit notes made by the order's invoicing to the invoice they credit.

        Core only does it where the localisation requires it; a return's
        credit note always names the invoice when there is exactly one.
        """
        invoices = sale_lines.invoice_lines.move_id.filtered(
            lambda m: m.move_type == 'out_invoice' and m.state == 'posted'
        )
        if len(invoices) == 1:
            self.filtered(
                lambda m: m.move_type == 'out_refund' and not m.reversed_entry_id
            ).reversed_entry_id = invoices
