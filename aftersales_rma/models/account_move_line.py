from collections import defaultdict

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = 'account.move.line'

    aftersales_rma_line_id = fields.Many2one(
        'aftersales.rma.line', string="Return Line", index='btree_not_null', copy=False,
        ondelete='set null', readonly=True,
    )

    def _aftersales_sale_line(self, product):
        """The order line this invoice line (one, or none) bills ``product`` for,
        when there is exactly one."""
        sale_lines = self.sale_line_ids.filtered(lambda line: line.product_id == product)
        return sale_lines if len(sale_lines) == 1 else self.env['sale.order.line']

    def _aftersales_credited_qty(self):
        """``{invoice line: quantity already credited, in its unit}``.

        Credit notes reversing the invoice (by account's reversal or the
        order's invoicing) count for the invoice line of the same product,
        whether or not a return made them; cancelled ones do not.
        """
        credited = defaultdict(float)
        invoices = self.move_id
        groups = self.sudo()._read_group(
            [('move_id.reversed_entry_id', 'in', invoices.ids),
             ('move_id.move_type', '=', 'out_refund'),
             ('parent_state', '!=', 'cancel'), ('display_type', '=', 'product')],
            ['move_id', 'product_id', 'product_uom_id'], ['quantity:sum'],
        )
        by_invoice_product = defaultdict(float)
        for refund, product, uom, quantity in groups:
            by_invoice_product[refund.reversed_entry_id, product, uom] += quantity
        for line in self:
            for (invoice, product, uom), quantity in by_invoice_product.items():
                if invoice == line.move_id and product == line.product_id:
                    credited[line] += uom._compute_quantity(quantity, line.product_uom_id)
        return credited

    def _aftersales_returnable_qty(self, exclude=None, with_drafts=True):
        """``{invoice line: quantity that can still be returned}``: invoiced, less
        credited, less what other returns (than ``exclude``) ask for and did not
        get credited yet.

        A return still expecting goods holds what it asks for; one whose
        reception is over holds only what it received (a dropped backorder
        frees the rest). Drafts count unless ``with_drafts`` is off.
        """
        returnable = defaultdict(float)
        credited = self._aftersales_credited_qty()
        for line in self:
            returnable[line] = line.quantity - credited[line]
        excluded_states = ('cancel', 'rejected') if with_drafts else ('cancel', 'rejected', 'draft')
        domain = [('invoice_line_id', 'in', self.ids), ('sale_line_id', '=', False),
                  ('state', 'not in', excluded_states)]
        if exclude:
            domain.append(('id', 'not in', exclude.ids))
        for line, state, uom, asked, received, posted, draft in self.env[
            'aftersales.rma.line'
        ].sudo()._read_group(
            domain, ['invoice_line_id', 'state', 'product_uom_id'],
            ['product_uom_qty:sum', 'qty_received:sum', 'qty_credited:sum', 'qty_credit_draft:sum'],
        ):
            expected = asked if state in ('draft', 'approved', 'receiving') else received
            pending = max(0.0, expected - posted - draft)
            returnable[line] -= uom._compute_quantity(pending, line.product_uom_id)
        return returnable

    def _aftersales_prepare_split_vals(self, quantity, rma_line):
        """A copy of this credit note line for another return line's quantity."""
        self.ensure_one()
        return {
            'product_id': self.product_id.id,
            'name': self.name,
            'quantity': quantity,
            'product_uom_id': self.product_uom_id.id,
            'price_unit': self.price_unit,
            'discount': self.discount,
            'tax_ids': [fields.Command.set(self.tax_ids.ids)],
            'account_id': self.account_id.id,
            'analytic_distribution': self.analytic_distribution,
            'sale_line_ids': [fields.Command.set(self.sale_line_ids.ids)],
            'sequence': self.sequence,
            'aftersales_rma_line_id': rma_line.id,
        }
