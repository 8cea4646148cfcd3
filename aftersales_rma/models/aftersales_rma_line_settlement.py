from odoo import api, fields, models
from odoo.exceptions import UserError

# What approval fixes on a line: the goods asked back and where they come
# from. Receipts, credits and deliveries are made from these values.
FIXED_ONCE_APPROVED = ('rma_id', 'product_id', 'product_uom_qty', 'product_uom_id',
                       'sale_line_id', 'invoice_line_id')


class AftersalesRmaLine(models.Model):
    """How a return line is settled: each unit that came back ends one way,
    credited, replaced, sent back, scrapped or repaired, and only one way.

    The way is the line's resolution. It may change only while nothing on
    the line is settled: no credit note (posted or draft), no quantity the
    order invoices less, no delivery (done or on its way), no scrap. What
    approval fixed (goods, quantity, origin) stays as it was approved.
    """

    _inherit = 'aftersales.rma.line'

    is_resolution_locked = fields.Boolean(
        string="Settlement Started", compute='_compute_is_resolution_locked',
        help="Part of the line is credited, sent out or scrapped: its resolution is kept.",
    )

    @api.depends('qty_credited', 'qty_credit_draft', 'qty_uninvoiced', 'qty_delivered',
                 'qty_outgoing', 'qty_scrapped')
    def _compute_is_resolution_locked(self):
        for line in self:
            line.is_resolution_locked = line._has_settlement()

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        rmas = self.env['aftersales.rma'].browse({vals['rma_id'] for vals in vals_list if vals.get('rma_id')})
        started = rmas.filtered(lambda rma: rma.state != 'draft')
        if started and not self.env.su:
            raise UserError(self.env._(
                "Return %(rma)s is %(state)s: lines are added to draft returns only; "
                "make a new return for more goods.",
                rma=started[0].name, state=started[0]._state_label(),
            ))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_writable(vals)
        previous = {line: line.resolution for line in self} if 'resolution' in vals else {}
        lots_changed = self.browse()
        if 'lot_id' in vals:
            lots_changed = self.filtered(lambda line: line.state != 'draft')
        result = super().write(vals)
        changed = self.filtered(lambda line: line in previous and line.resolution != previous[line])
        changed._sync_receipts_with_resolution()
        if lots_changed:
            lots_changed._check_lots_delivered()
            lots_changed._check_serials_not_returned_twice()
            lots_changed.move_ids.filtered(
                lambda m: m.state not in ('done', 'cancel') and m._aftersales_rma_direction() == 'received'
            )._aftersales_set_returned_lot()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        # sudo: transfers and credit notes are looked at, not shown; agents
        # without stock or accounting rights delete their draft lines too.
        started = self.sudo().filtered(
            lambda line: line.state not in ('draft', 'cancel', 'rejected')
            or line.move_ids or line.credit_line_ids
        )
        if started:
            raise UserError(self.env._(
                "%(product)s on %(rma)s has receipts, deliveries or credit notes: the line is "
                "kept. Cancel the return instead.",
                product=started[0].product_id.display_name, rma=started[0].rma_id.name,
            ))

    # Business methods

    def _check_writable(self, vals):
        """Refuse what settling or approving fixed, naming the line."""
        fixed = [fname for fname in FIXED_ONCE_APPROVED if fname in vals]
        for line in self:
            if fixed and line.state != 'draft' and any(
                line._fields[fname].convert_to_write(line[fname], line) != vals[fname] for fname in fixed
            ):
                raise UserError(self.env._(
                    "%(product)s on %(rma)s was approved: its goods, quantity and origin are "
                    "kept. Make a new return for other goods.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                ))
            if 'resolution' in vals and vals['resolution'] != line.resolution \
                    and line._has_settlement():
                raise UserError(self.env._(
                    "%(product)s on %(rma)s is already being settled as %(resolution)s: its "
                    "resolution can no longer change.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                    resolution=line._resolution_label(),
                ))
            if 'replacement_product_id' in vals and line.qty_delivered + line.qty_outgoing \
                    and vals['replacement_product_id'] != line.replacement_product_id.id:
                raise UserError(self.env._(
                    "A replacement for %(product)s on %(rma)s is already on its way: the "
                    "product sent instead can no longer change.",
                    product=line.product_id.display_name, rma=line.rma_id.name,
                ))
            if 'lot_id' in vals and line.state != 'draft' and vals['lot_id'] != line.lot_id.id \
                    and not line.product_uom_id.is_zero(line.qty_received):
                raise UserError(self.env._(
                    "%(product)s on %(rma)s was received with its serial/lot: it can no "
                    "longer change.", product=line.product_id.display_name, rma=line.rma_id.name,
                ))

    def _has_settlement(self):
        """Whether any unit of the line is settled, or on its way to being, in any way."""
        self.ensure_one()
        started = (self.qty_credited + self.qty_credit_draft + self.qty_uninvoiced
                   + self.qty_delivered + self.qty_outgoing + self.qty_scrapped
                   + self._get_qty_repaired())
        return not self.product_uom_id.is_zero(started)

    def _get_qty_settled(self):
        """The quantity the line's resolution settled for good."""
        self.ensure_one()
        return {
            'refund': self.qty_credited + self.qty_uninvoiced,
            'replace': self.qty_delivered,
            'return': self.qty_delivered,
            'scrap': self.qty_scrapped,
            'repair': self._get_qty_repaired(),
        }[self.resolution]

    def _get_qty_waiting(self):
        """Received units the line's resolution has not handled, nor started to."""
        self.ensure_one()
        if self.resolution == 'refund':
            return self.qty_to_credit
        handled = {
            'replace': self.qty_delivered + self.qty_outgoing,
            'return': self.qty_delivered + self.qty_outgoing,
            'scrap': self.qty_scrapped,
            'repair': self._get_qty_repaired(),
        }[self.resolution]
        return max(0.0, self.product_uom_id.round(self.qty_received - handled))

    def _get_qty_repaired(self):
        """Units repaired; the repairs module counts them, nothing else does."""
        self.ensure_one()
        return 0.0

    def _is_settled(self):
        """Whether the line needs nothing more: every unit received is settled."""
        self.ensure_one()
        if not self._is_reception_finished() or self.product_uom_id.is_zero(self.qty_received):
            return False
        return self.product_uom_id.compare(self._get_qty_settled(), self.qty_received) >= 0

    def _sync_receipts_with_resolution(self):
        """Receipts from an order lower its delivered quantity only for refunds.

        Stock's return mechanism decides it per move (``to_refund``, "Update
        quantities on SO/PO"): a replaced unit was paid for and stays
        delivered, a refunded one is no longer, so that the order's own
        invoicing credits it. When a line's resolution changes after its
        receipt was made, its moves follow.
        """
        # sudo: the receipts belong to the warehouse; the return's own rights
        # allowed the change of resolution.
        for line in self.sudo():
            to_refund = line.resolution == 'refund'
            line.move_ids.filtered(
                lambda m, to_refund=to_refund: m.sale_line_id and m.state != 'cancel'
                and m._aftersales_rma_direction() == 'received' and m.to_refund != to_refund
            ).to_refund = to_refund

    def _check_serials_not_returned_twice(self):
        """A serial number is one unit: it comes back on one open return at a time."""
        serial_lines = self.filtered(lambda line: line.lot_id and line.product_tracking == 'serial')
        if not serial_lines:
            return
        # sudo: another team's return holds the serial as well.
        others = self.env['aftersales.rma.line'].sudo().search([
            ('lot_id', 'in', serial_lines.lot_id.ids), ('id', 'not in', serial_lines.ids),
            ('state', 'in', ('approved', 'receiving')),
        ])
        twice = serial_lines.filtered(
            lambda line: line.lot_id in others.lot_id
            or len(serial_lines.filtered(lambda other, lot=line.lot_id: other.lot_id == lot)) > 1
        )
        if twice:
            raise UserError(self.env._(
                "Serial number %(lot)s of %(product)s is already on its way back on another "
                "return.", lot=twice[0].lot_id.name, product=twice[0].product_id.display_name,
            ))

    def _resolution_label(self):
        self.ensure_one()
        return dict(self._fields['resolution']._description_selection(self.env))[self.resolution]
