from odoo import Command, models


class PurchaseOrder(models.Model):
    _inherit = 'purchase.order'

    def _aftersales_create_vendor_credit(self, quantities):
        """Credit notes of these orders for ``{order line: quantity}`` only,
        made by the orders' own invoicing.

        Purchase bills every line of an order at its quantity to bill and
        turns a negative total into a refund; the other lines are billed at
        zero here, then left out: a return credits its own goods, not
        whatever else the orders still have to bill.
        """
        before = self.invoice_ids
        self.with_context(aftersales_vendor_credit={line.id: qty for line, qty in quantities.items()}) \
            .action_create_invoice()
        self.invalidate_recordset(['invoice_ids'])
        credit_notes = self.invoice_ids - before
        credited = self.env['purchase.order.line'].union(*quantities)
        for credit_note in credit_notes:
            others = credit_note.invoice_line_ids.filtered(
                lambda aml: aml.purchase_line_id not in credited
            )
            if others:
                credit_note.write({'invoice_line_ids': [Command.delete(aml.id) for aml in others]})
        return credit_notes
