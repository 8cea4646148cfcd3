from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import AccessError, UserError

# A return keeps its goods once received, also after the customer is settled.
VENDOR_STATES = ('receiving', 'received', 'done')


class AftersalesRma(models.Model):
    _inherit = 'aftersales.rma'

    vendor_picking_ids = fields.One2many(
        'stock.picking', 'aftersales_vendor_rma_id', string="Vendor Returns",
    )
    vendor_picking_count = fields.Integer(compute='_compute_vendor_counts')
    vendor_credit_note_ids = fields.One2many(
        'account.move', 'aftersales_vendor_rma_id', string="Vendor Credit Notes",
    )
    vendor_credit_note_count = fields.Integer(compute='_compute_vendor_counts')
    has_goods_for_vendor = fields.Boolean(
        compute='_compute_has_goods_for_vendor',
        help="Goods received on refund, replace or repair lines are still here to go back to a vendor.",
    )

    # Compute methods

    @api.depends('vendor_picking_ids', 'vendor_credit_note_ids')
    @api.depends_context('uid')
    def _compute_vendor_counts(self):
        # With the user's rights, as the lists the buttons open.
        pickings = _counts(self.env['stock.picking'], 'aftersales_vendor_rma_id', self._origin.ids)
        credit_notes = _counts(self.env['account.move'], 'aftersales_vendor_rma_id', self._origin.ids)
        for rma in self:
            rma.vendor_picking_count = pickings.get(rma._origin.id, 0)
            rma.vendor_credit_note_count = credit_notes.get(rma._origin.id, 0)

    @api.depends('state', 'line_ids.resolution', 'line_ids.qty_received', 'line_ids.qty_scrapped',
                 'line_ids.qty_delivered', 'line_ids.qty_outgoing', 'line_ids.qty_to_vendor')
    def _compute_has_goods_for_vendor(self):
        for rma in self:
            rma.has_goods_for_vendor = rma.state in VENDOR_STATES and any(
                not line.product_uom_id.is_zero(line._get_qty_for_vendor()) for line in rma.line_ids
            )

    # Actions

    def action_return_to_vendor(self):
        """Open the wizard sending received goods back to their vendor."""
        self.ensure_one()
        self.check_access('write')
        self._ensure_state(VENDOR_STATES, self.env._("sent back to a vendor"))
        if not self.has_goods_for_vendor:
            raise UserError(self.env._(
                "Nothing of %(rma)s can go back to a vendor: refund, replace and repair lines have "
                "no received goods left here.", rma=self.name,
            ))
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._("Return to Vendor"),
            'res_model': 'aftersales.rma.vendor.return',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_rma_id': self.id},
        }

    def action_vendor_credit(self):
        """Credit what went back to vendors, by the purchase orders' own invoicing."""
        self._check_vendor_credit_access()
        # sudo: purchase users and accountants credit returns they may only
        # read; the check above and the quantities the orders still have to
        # credit are the guard.
        rmas = self.sudo()._lock_in_state(VENDOR_STATES, self.env._("credited by a vendor"))
        credit_notes = self.env['account.move']
        for rma in rmas:
            new = rma.line_ids.vendor_move_ids._aftersales_vendor_credit(rma.vendor_credit_note_ids)
            new.aftersales_vendor_rma_id = rma
            if new:
                rma.message_post(body=Markup(self.env._("Vendor credit note %(credit_notes)s made.")) % {
                    'credit_notes': Markup(", ").join(move._get_html_link() for move in new),
                })
            credit_notes |= new
        if not credit_notes:
            raise UserError(self.env._(
                "Nothing to credit on %(rmas)s: the goods sent back to vendors are credited "
                "already, were never billed (the purchase order bills less instead), or have not "
                "left yet.", rmas=", ".join(rmas.mapped('name')),
            ))
        return self._action_view(credit_notes.with_env(self.env), 'account.action_move_in_refund_type')

    def action_view_vendor_pickings(self):
        self.ensure_one()
        return self._action_view(self.vendor_picking_ids, 'stock.action_picking_tree_all')

    def action_view_vendor_credit_notes(self):
        self.ensure_one()
        return self._action_view(self.vendor_credit_note_ids, 'account.action_move_in_refund_type')

    # Business methods

    def _return_to_vendor(self, quantities):
        """Send ``{line: quantity}`` of received goods back to their vendors.

        Each line's goods go back on a return of the purchase receipt that
        brought them in, made by stock's own return wizard, "to refund":
        the order's received quantity drops and its invoicing can credit it.
        One transfer per receipt; the line keeps its resolution.
        """
        # sudo: agents send back the goods of returns they may change, without
        # rights on the purchase receipts the returns are made of.
        rma = self._start_action(VENDOR_STATES, self.env._("sent back to a vendor"))
        lines = rma.line_ids.browse([line.id for line in quantities])
        if lines - rma.line_ids:
            raise UserError(self.env._(
                "Only lines of %(rma)s can go back to a vendor from it.", rma=rma.name,
            ))
        # Touched too: a scrap, a change of resolution or a receipt of the
        # same lines at the same moment is retried, then sees these goods gone.
        lock_rows(lines, touch=True)
        quantities = {lines.browse(line.id): qty for line, qty in quantities.items()}
        lines._check_vendor_returnable(quantities)
        by_receipt = defaultdict(list)
        for line, move, qty in lines._allocate_vendor_receipts(quantities):
            by_receipt[move.picking_id].append((line, move, qty))
        pickings = self.env['stock.picking'].sudo()
        for receipt, allocations in by_receipt.items():
            pickings |= rma._return_receipt_to_vendor(receipt, allocations)
        rma.message_post(body=Markup(self.env._("Goods sent back to the vendor on %(pickings)s.")) % {
            'pickings': Markup(", ").join(picking._get_html_link() for picking in pickings),
        })
        return pickings

    def _return_receipt_to_vendor(self, receipt, allocations):
        self.ensure_one()
        wizard = self.env['stock.return.picking'].with_context(
            active_id=receipt.id, active_model='stock.picking',
        ).create({
            'picking_id': receipt.id,
            'aftersales_vendor_rma_id': self.id,
            'product_return_moves': [Command.clear()] + [
                Command.create(line._prepare_vendor_return_line_vals(move, qty))
                for line, move, qty in allocations
            ],
        })
        picking = wizard._create_return()
        for move in picking.move_ids.filtered(lambda m: m.aftersales_vendor_line_id.lot_id):
            # The very serial/lot that came back from the customer leaves.
            move.lot_ids = move.aftersales_vendor_line_id.lot_id
        return picking

    def _check_vendor_credit_access(self):
        """Purchase users and accountants credit what went back to vendors."""
        self.check_access('read')
        if not self.env.user.has_groups('purchase.group_purchase_user,account.group_account_invoice'):
            raise AccessError(self.env._(
                "Only purchase users and accountants can credit the goods of %(rmas)s sent back "
                "to vendors.", rmas=", ".join(self.mapped('name')),
            ))


def _counts(model, field, ids):
    """``{id: number of ``model``'s records linked by ``field``}`` that the user may read."""
    if not ids or not model.has_access('read'):
        return {}
    return {
        record.id: count
        for record, count in model._read_group([(field, 'in', ids)], [field], ['__count'])
    }
