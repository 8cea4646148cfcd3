from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockReturnPicking(models.TransientModel):
    """Stock's return wizard, for goods going back to a vendor: a customer
    return's goods (made by the return itself) or a goods-receipt case's
    rejected goods (opened from the case, its products proposed)."""

    _inherit = 'stock.return.picking'

    aftersales_vendor_rma_id = fields.Many2one('aftersales.rma', string="Return Sent to Vendor")
    aftersales_vendor_case_id = fields.Many2one('aftersales.case', string="Rejected On Case")

    @api.depends('picking_id', 'aftersales_vendor_case_id')
    def _compute_moves_locations(self):  # pylint: disable=missing-return
        super()._compute_moves_locations()
        for wizard in self.filtered('aftersales_vendor_case_id'):
            wizard._aftersales_propose_rejected_goods()

    def _aftersales_propose_rejected_goods(self):
        """Propose the case's products (all, when it names none) in full: what
        the receipt brought less what went back already, as stock's Return All."""
        self.ensure_one()
        products = self.aftersales_vendor_case_id.product_ids
        for line in self.product_return_moves:
            move = line.move_id
            if not move or (products and move.product_id not in products):
                continue
            returned = sum(
                dest.quantity for dest in move.move_dest_ids if dest.origin_returned_move_id == move
            )
            line.quantity = move.product_uom.round(max(0.0, move.quantity - returned))

    def _prepare_picking_default_values(self):
        vals = super()._prepare_picking_default_values()
        document = self.aftersales_vendor_rma_id or self.aftersales_vendor_case_id
        if document:
            vals.update({
                'aftersales_vendor_rma_id': self.aftersales_vendor_rma_id.id,
                'aftersales_vendor_case_id': self.aftersales_vendor_case_id.id,
                'origin': self.env._(
                    "%(document)s: return of %(picking)s to the vendor",
                    document=document.name, picking=self.picking_id.name,
                ),
            })
        return vals

    def _create_return(self):
        self._aftersales_check_vendor_links()
        picking = super()._create_return()
        case = self.aftersales_vendor_case_id
        if case:
            body = Markup(self.env._("Rejected goods go back to the vendor on %(picking)s."))
            case.message_post(body=body % {'picking': picking._get_html_link()})
        return picking

    def _aftersales_check_vendor_links(self):
        """Links are client input: a case links the returns of its own receipt,
        by users who may change it; a customer return's goods go back to the
        vendor from the return only, which checks what may leave."""
        case = self.aftersales_vendor_case_id
        if case:
            case.check_access('write')
            if case.aftersales_receipt_id != self.picking_id:
                raise UserError(self.env._(
                    "Case %(case)s is about receipt %(receipt)s, not %(picking)s.",
                    case=case.name, receipt=case.aftersales_receipt_id.name or "-",
                    picking=self.picking_id.name,
                ))
        if not self.env.su and (self.aftersales_vendor_rma_id
                                or self.product_return_moves.aftersales_vendor_line_id):
            raise UserError(self.env._(
                "Goods of a customer return go back to the vendor with Return to Vendor on the return."
            ))
