from collections import defaultdict

from odoo import fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import AccessError, UserError


class AftersalesRma(models.Model):
    _inherit = 'aftersales.rma'

    def action_refund(self):
        """Credit what came back on refund lines, through native documents only.

        Products invoiced on delivered quantities are credited by the order's
        own invoicing (the return made their quantity to invoice negative);
        the others by account's reversal of the original invoice, restricted
        to the returned lines and quantities. The credit notes stay drafts:
        accounting posts them.
        """
        self._check_refund_access()
        # sudo: accountants credit returns they may only read; the check above
        # and the quantity checks below are the guard.
        rmas = self.sudo()._lock_in_state(('receiving', 'received'), self.env._("credited"))
        lines = rmas.line_ids.filtered(
            lambda line: line.resolution == 'refund'
            and not line.product_uom_id.is_zero(line.qty_to_credit)
        )
        if not lines:
            raise UserError(self.env._(
                "Nothing to credit on %(rmas)s: refund lines are credited already, or their "
                "goods have not arrived yet.", rmas=", ".join(rmas.mapped('name')),
            ))
        through_order = lines.filtered(lambda line: line._is_credited_through_order())
        credit_notes = through_order._refund_through_order()
        credit_notes |= (lines - through_order)._refund_through_reversal()
        rmas._update_progress()
        rmas.activity_feedback(['aftersales_rma.mail_activity_rma_credit'])
        if not credit_notes:
            return True
        return self._action_view(credit_notes, 'account.action_move_out_refund_type')


    def _check_refund_access(self):
        """Agents who may change the return, and accountants, credit it."""
        self.check_access('read')
        if not self.has_access('write') and not self.env.user.has_group(
                'account.group_account_invoice'):
            raise AccessError(self.env._(
                "Only the return's agents and accountants can credit %(rmas)s.",
                rmas=", ".join(self.mapped('name')),
            ))


class AftersalesRmaLine(models.Model):
    _inherit = 'aftersales.rma.line'

    def _is_credited_through_order(self):
        """Whether the order's own invoicing credits the line.

        Only for products invoiced on delivered quantities, and only when
        every unit came back on a receipt that lowered the order's delivered
        quantity: the order then has that much less to invoice, or a negative
        quantity its invoicing turns into a credit note. Otherwise the
        invoice is reversed.
        """
        self.ensure_one()
        if not self.sale_line_id or self.product_id.invoice_policy != 'delivery':
            return False
        received = self.move_ids.filtered(
            lambda m: m.state == 'done' and m._aftersales_rma_direction() == 'received'
        )
        return bool(received) and all(
            move.to_refund and move.sale_line_id == self.sale_line_id for move in received
        )

    def _refund_through_order(self):
        """Credit lines invoiced on delivered quantities with the order's invoicing."""
        credit_notes = self.env['account.move']
        for order, lines in self.grouped(lambda line: line.sale_line_id.order_id).items():
            # Browsed by ids: the lazy prefetch of a mapped many2one follows
            # the cache, which the lock empties; it would then read line by line.
            sale_lines = self.env['sale.order.line'].browse(lines.sale_line_id.ids)
            lock_rows(sale_lines, touch=True)
            to_credit = sale_lines.filtered(lambda sl: sl.product_uom_id.compare(sl.qty_to_invoice, 0) < 0)
            # What came back but was never invoiced only lowers what the order
            # will invoice: there is nothing to credit for it (a credit note
            # would give money back for goods never billed).
            lines._mark_uninvoiced(exclude_sale_lines=to_credit)
            if not to_credit:
                continue
            # sudo: agents without sales or accounting rights prepare the draft
            # credit note of a return they may handle; posting stays with accounting.
            # Browsed afresh too: the order from grouped() prefetches through
            # the lines the lock invalidated, and core's invoicing would then
            # read each invoice line's sale lines alone.
            credited_lines = lines.filtered(lambda line, to_credit=to_credit: line.sale_line_id in to_credit)
            # Read before: the credit lines linked at creation count as credited.
            wanted = {line: line.qty_to_credit for line in credited_lines}
            moves = order.browse(order.id).sudo().with_context(
                aftersales_rma_sale_line_ids=to_credit.ids,
                aftersales_rma_line_by_sale_line=credited_lines._single_by_sale_line(),
            )._create_invoices(final=True)
            credited_lines._link_credit_lines(
                moves.invoice_line_ids, lambda aml: aml.sale_line_ids[:1],
                lambda line: line.sale_line_id, wanted,
            )
            moves._aftersales_link_reversed_invoice(to_credit)
            credit_notes |= moves
        return credit_notes

    def _single_by_sale_line(self):
        """``((order line id, return line id), ...)`` for the order lines only one
        of these return lines credits: their credit lines are linked at creation."""
        return tuple(
            (sale_line.id, lines.id)
            for sale_line, lines in self.grouped('sale_line_id').items() if len(lines) == 1
        )

    def _mark_uninvoiced(self, exclude_sale_lines):
        for line in self.filtered(lambda line: line.sale_line_id not in exclude_sale_lines):
            line._mark_uninvoiced_qty(line.qty_to_credit)

    def _mark_uninvoiced_qty(self, qty):
        self.ensure_one()
        self.qty_uninvoiced += qty
        self.rma_id.message_post(body=self.env._(
            "%(qty)s %(uom)s of %(product)s came back before being invoiced: order %(order)s "
            "will invoice that much less instead of a credit note.",
            qty=self.product_uom_id.round(qty), uom=self.product_uom_id.name,
            product=self.product_id.display_name, order=self.sale_line_id.order_id.name,
        ))

    def _refund_through_reversal(self):
        """Reverse each original invoice, keeping only the returned lines."""
        self._assign_invoice_lines()
        credit_notes = self.env['account.move']
        for invoice, lines in self.grouped(lambda line: line.invoice_line_id.move_id).items():
            lock_rows(invoice, touch=True)
            lines._check_creditable(invoice)
            reversal = self.env['account.move.reversal'].sudo().with_context(
                active_model='account.move', active_ids=invoice.ids, aftersales_rma_reversal=True,
            ).create(lines._prepare_reversal_vals(invoice))
            reversal.refund_moves()
            credit_note = reversal.new_move_ids
            lines._restrict_reversal(invoice, credit_note)
            credit_notes |= credit_note
        return credit_notes

    def _prepare_reversal_vals(self, invoice):
        return {
            'move_ids': [fields.Command.set(invoice.ids)],
            'journal_id': invoice.journal_id.id,
            'date': fields.Date.context_today(self),
            'reason': self.env._("Return %(rmas)s", rmas=", ".join(self.rma_id.mapped('name'))),
        }

    def _assign_invoice_lines(self):
        """Lines from an order credit against the order line's invoice."""
        for line in self.filtered(lambda line: not line.invoice_line_id):
            invoice_lines = line.sale_line_id.invoice_lines.filtered(
                lambda aml: aml.move_id.move_type == 'out_invoice' and aml.parent_state == 'posted'
            )
            credited = invoice_lines._aftersales_credited_qty()
            candidate = invoice_lines.filtered(
                lambda aml, credited=credited: aml.product_uom_id.compare(aml.quantity, credited[aml]) > 0
            )[:1]
            if not candidate:
                raise UserError(self.env._(
                    "%(product)s on %(rma)s was never invoiced: there is nothing to credit. "
                    "Lower the quantity of order %(order)s instead.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                    order=line.sale_line_id.order_id.name or "",
                ))
            line.invoice_line_id = candidate

    def _check_creditable(self, invoice):
        """Money: never credit more than was invoiced less what was credited."""
        if invoice.state != 'posted' or invoice.move_type != 'out_invoice' \
                or invoice.payment_state == 'reversed':
            raise UserError(self.env._(
                "Invoice %(invoice)s is not a posted customer invoice that can be credited.",
                invoice=invoice.display_name,
            ))
        if invoice.commercial_partner_id != self.rma_id.commercial_partner_id:
            raise UserError(self.env._(
                "Invoice %(invoice)s belongs to another customer.", invoice=invoice.display_name,
            ))
        credited = self.invoice_line_id._aftersales_credited_qty()
        for invoice_line, lines in self.grouped('invoice_line_id').items():
            uom = invoice_line.product_uom_id
            asked = sum(
                line.product_uom_id._compute_quantity(line.qty_to_credit, uom) for line in lines
            )
            left = invoice_line.quantity - credited[invoice_line]
            if uom.compare(asked, left) > 0:
                raise UserError(self.env._(
                    "%(product)s: only %(left)s %(uom)s of invoice %(invoice)s are left to "
                    "credit (%(asked)s asked).",
                    product=invoice_line.product_id.display_name, left=uom.round(left),
                    uom=uom.name, invoice=invoice.display_name, asked=uom.round(asked),
                ))

    def _restrict_reversal(self, invoice, credit_note):
        """Keep on the full reversal only the returned invoice lines and quantities."""
        originals = invoice.invoice_line_ids.filtered(lambda aml: aml.display_type == 'product')
        copies = credit_note.invoice_line_ids.filtered(lambda aml: aml.display_type == 'product')
        # A reversal copies the invoice's lines in their order.
        origin_of = dict(zip(copies.sorted(lambda aml: (aml.sequence, aml.id)),
                             originals.sorted(lambda aml: (aml.sequence, aml.id)), strict=True))
        keep = copies.filtered(lambda aml: origin_of[aml] in self.invoice_line_id)
        credit_note.write({'invoice_line_ids': [
            fields.Command.delete(aml.id) for aml in copies - keep
        ]})
        self._link_credit_lines(
            keep, lambda aml: origin_of[aml], lambda line: line.invoice_line_id,
            {line: line.qty_to_credit for line in self},
        )

    def _link_credit_lines(self, credit_lines, source_of_credit, source_of_line, to_credit):
        """Give each return line a credit note line of its own quantity.

        A credit line covers one order or invoice line; when several return
        lines share it (serials), it is split so that each line's credited
        quantity is its own. It is shared out up to its quantity: what the
        order invoicing could not credit was never invoiced.

        :param to_credit: ``{return line: quantity to credit}`` before the
            credit notes were made
        """
        commands_by_move = defaultdict(list)
        for credit_line in credit_lines:
            source = source_of_credit(credit_line)
            lines = self.filtered(lambda line, source=source: source_of_line(line) == source)
            if not lines:
                continue
            uom = credit_line.product_uom_id
            available, shares = credit_line.quantity, []
            for line in lines:
                wanted = line.product_uom_id._compute_quantity(to_credit[line], uom)
                qty = min(wanted, available)
                available -= qty
                shares.append((line, qty))
                if uom.compare(wanted, qty) > 0:
                    line._mark_uninvoiced_qty(uom._compute_quantity(wanted - qty, line.product_uom_id))
            shares = [(line, qty) for line, qty in shares if uom.compare(qty, 0.0) > 0]
            first_line, first_qty = shares[0]
            commands = commands_by_move[credit_line.move_id]
            vals = {}
            if credit_line.aftersales_rma_line_id != first_line:
                vals['aftersales_rma_line_id'] = first_line.id
            if uom.compare(first_qty, credit_line.quantity):
                # Only then: a new quantity recomputes the line's prices and analytics.
                vals['quantity'] = first_qty
            if vals:
                commands.append(fields.Command.update(credit_line.id, vals))
            commands += [
                fields.Command.create(credit_line._aftersales_prepare_split_vals(qty, line))
                for line, qty in shares[1:]
            ]
        # One write per credit note: each write re-syncs its taxes and totals.
        for move, commands in commands_by_move.items():
            if commands:
                move.write({'invoice_line_ids': commands})
